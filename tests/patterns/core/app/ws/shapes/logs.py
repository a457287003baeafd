import logging
from typing import Any

from app.sockets import sio

logger = logging.getLogger(__name__)


@sio.on("shapes.logs")
async def handle(sid: str, data: dict[str, Any]) -> None:
    logger.info("received %s", data)
    data["chat_id"]
