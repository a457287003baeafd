from pydantic import BaseModel


class ChatMessage(BaseModel):
    room: str
    text: str
