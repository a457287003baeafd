from typing import Any

from app.infra.service import anything
from app.sockets import sio


@sio.on("shapes.forward_spread_any")
async def handle(sid: str, data: dict[str, Any]) -> None:
    await anything(**data)
