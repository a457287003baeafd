from typing import Any

from app.sockets import sio


@sio.on("shapes.rebind")
async def handle(sid: str, data: dict[str, Any] | None = None) -> None:
    data = data or {}
    chat_id = data["chat_id"]
    limit = int(data.get("limit", 20))
