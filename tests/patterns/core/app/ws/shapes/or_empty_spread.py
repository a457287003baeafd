from typing import Any

from app.infra.models import ChatPayload
from app.sockets import sio


@sio.on("shapes.or_empty_spread")
async def handle(sid: str, data: dict[str, Any] | None = None) -> None:
    ChatPayload(**(data or {}))
