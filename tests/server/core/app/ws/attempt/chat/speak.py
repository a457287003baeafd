from typing import Any
from uuid import UUID

from pydantic import BaseModel

from app.realtime import run_operation
from app.sockets import sio


class ChatSpeakPayload(BaseModel):
    chat_id: UUID
    voice: str = "alloy"
    speed: float = 1.0


@sio.on("attempt.chat_speak")  # type: ignore
async def chat_speak(sid: str, data: dict[str, Any]) -> None:
    payload = ChatSpeakPayload.model_validate(data)

    async def work() -> dict[str, Any]:
        return {"chat_id": str(payload.chat_id), "voice": payload.voice}

    await run_operation(sid, "attempt.chat_speak", work)
