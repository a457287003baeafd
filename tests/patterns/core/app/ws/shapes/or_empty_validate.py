from typing import Any

from app.infra.models import ChatPayload
from app.sockets import sio


@sio.on("shapes.or_empty_validate")
async def handle(sid: str, data: dict[str, Any] | None = None) -> None:
    ChatPayload.model_validate(data or {})
