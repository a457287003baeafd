from typing import Any

from app.infra.service import send
from app.sockets import sio


@sio.on("shapes.keyword_reads")
async def handle(sid: str, data: dict[str, Any]) -> None:
    await send(chat_id=data["chat_id"], text=data.get("text"))
