from typing import Any

from app.sockets import sio


@sio.on("system.group")  # type: ignore
async def group_get(sid: str, data: dict[str, Any]) -> None:
    data.get("group_id")
