from typing import Any

from app import services
from app.realtime import run_operation
from app.sockets import sio


@sio.on("attempt.chat.voice")  # type: ignore
async def chat_voice(sid: str, data: dict[str, Any]) -> None:
    chat_id = str(data["chat_id"])
    audio = data["audio"]
    mime = data.get("mime", "audio/webm")

    await run_operation(sid, "attempt.chat_voice", lambda: services.chat_voice(chat_id, audio, mime))
