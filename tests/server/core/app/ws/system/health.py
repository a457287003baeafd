from typing import Any

from app import services
from app.sockets import sio


@sio.on("system.health")  # type: ignore
async def system_health(sid: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    health = await services.health()
    return {"status": health.status, "version": health.version, "uptime_seconds": health.uptime_seconds}
