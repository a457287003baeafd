from typing import Any

from app.sockets import other, sio


@other.on("persona.find")  # type: ignore  (another server object: not client-callable)
@sio.on("persona.search")  # type: ignore
async def persona_find(sid: str, data: dict[str, Any]) -> None:
    data["query"]
