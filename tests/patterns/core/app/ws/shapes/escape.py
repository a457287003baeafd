from typing import Any

from app.sockets import sio


@sio.on("shapes.escape")
async def handle(sid: str, data: dict[str, Any]) -> None:
    for key, value in data.items():
        print(key, value)
