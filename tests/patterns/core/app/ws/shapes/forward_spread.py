from typing import Any

from app.infra.service import send
from app.sockets import sio


@sio.on("shapes.forward_spread")
async def handle(sid: str, data: dict[str, Any]) -> None:
    await send(**data)
