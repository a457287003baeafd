from typing import Any

from app.infra.models import SearchPayload
from app.sockets import sio


async def _parse(raw: dict[str, Any]) -> SearchPayload:
    return SearchPayload.model_validate(raw)


@sio.on("shapes.helper_local")
async def handle(sid: str, data: dict[str, Any]) -> None:
    payload = await _parse(data)
