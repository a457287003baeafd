from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from app import services
from app.realtime import run_operation
from app.sockets import sio


class ChatMessagePayload(BaseModel):
    chat_id: UUID
    text: str = Field(..., min_length=1)
    persona_id: UUID | None = None


@sio.on("attempt.chat_message")  # type: ignore
async def chat_message(sid: str, data: dict[str, Any]) -> None:
    payload = ChatMessagePayload.model_validate(data)

    async def stream(token: str) -> None:
        await sio.emit("attempt.chat_message.token", {"chat_id": str(payload.chat_id), "token": token}, to=sid)

    await run_operation(
        sid, "attempt.chat_message", lambda: services.chat_message(payload.chat_id, payload.text, stream)
    )
