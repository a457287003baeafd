from uuid import UUID

from pydantic import BaseModel, Field


class ChatPayload(BaseModel):
    chat_id: UUID
    text: str = Field(..., min_length=1)


class SearchPayload(BaseModel):
    query: str | None = None
    page: int = 1
