from typing import Any

from app.sockets import sio


@sio.on("shapes.alias")
async def handle(sid: str, data: dict[str, Any]) -> None:
    d = data
    d["chat_id"]
    d.get("cursor")
