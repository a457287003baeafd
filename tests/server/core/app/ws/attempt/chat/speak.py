from typing import Any
from uuid import UUID

from pydantic import BaseModel

from app import services
from app.realtime import run_operation
from app.sockets import sio


class ChatSpeakPayload(BaseModel):
    chat_id: UUID
    voice: str = "alloy"
    speed: float = 1.0


@sio.on("attempt.chat_speak")  # type: ignore
async def chat_speak(sid: str, data: dict[str, Any]) -> None:
    payload = ChatSpeakPayload.model_validate(data)

    await run_operation(sid, "attempt.chat_speak", lambda: services.chat_speak(payload.chat_id, payload.voice))
