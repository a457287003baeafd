from typing import Any

from app import services
from app.realtime import run_operation
from app.sockets import sio


@sio.on("attempt.chat_silence")  # type: ignore
async def chat_silence(sid: str, data: dict[str, Any] | None = None) -> None:
    """Marks the end of the user's turn; takes no payload."""
    await run_operation(sid, "attempt.chat_silence", services.chat_silence)
