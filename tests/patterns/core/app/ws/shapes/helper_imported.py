from typing import Any

from app.infra.parsing import parse_chat
from app.sockets import sio


@sio.on("shapes.helper_imported")
async def handle(sid: str, data: dict[str, Any]) -> None:
    payload = await parse_chat(data)
