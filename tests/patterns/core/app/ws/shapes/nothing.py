from typing import Any

from app.sockets import sio


@sio.on("shapes.nothing")
async def handle(sid: str, data: dict[str, Any] | None = None) -> None:
    if data:
        return
