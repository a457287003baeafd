from typing import Any

from app.sockets import internal_sio


@internal_sio.on("*")  # type: ignore
async def relay(event: str, sid: str, data: Any) -> None:
    """In-process bus: not a client event."""
