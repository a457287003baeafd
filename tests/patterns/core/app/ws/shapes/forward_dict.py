from typing import Any

from app.infra import service
from app.sockets import sio


@sio.on("shapes.forward_dict")
async def handle(sid: str, data: dict[str, Any]) -> None:
    await service.chat({**data, "sid": sid})
