from typing import Any

from app.infra import parsing
from app.sockets import sio


@sio.on("shapes.helper_annotated")
async def handle(sid: str, data: dict[str, Any]) -> None:
    payload = parsing.search_from(data)
