from typing import Any

from app.infra.missing.types import SearchPayload
from app.sockets import sio


@sio.on("persona.search")  # type: ignore
async def persona_search(sid: str, data: dict[str, Any]) -> None:
    SearchPayload.model_validate(data)
