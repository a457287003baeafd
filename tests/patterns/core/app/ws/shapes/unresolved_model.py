from typing import Any

from vendor_sdk import Request

from app.sockets import sio


@sio.on("shapes.unresolved_model")
async def handle(sid: str, data: dict[str, Any]) -> None:
    Request(**data)
