from typing import Any

from app.sockets import sio

VERSION = "1.4.0"


@sio.on("system.health")  # type: ignore
async def system_health(sid: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"status": "ok", "version": VERSION, "uptime_seconds": 0}
