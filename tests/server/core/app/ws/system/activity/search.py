from typing import Any

from app import services
from app.realtime import run_operation
from app.sockets import sio

EVENT = "system.activity_search"


@sio.on(EVENT)  # type: ignore
async def activity_search(sid: str, data: dict[str, Any]) -> None:
    since = data.get("since")
    limit = int(data.get("limit", 50))
    profile_id = data.get("profile_id")

    await run_operation(sid, EVENT, lambda: services.activity_search(since, limit, profile_id))
