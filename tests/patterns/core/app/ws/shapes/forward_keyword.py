from typing import Any

from app.infra.service import run
from app.sockets import sio


@sio.on("shapes.forward_keyword")
async def handle(sid: str, data: dict[str, Any] | None = None) -> None:
    await run(arguments=data or {})
