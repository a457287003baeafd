from typing import Any
from uuid import UUID

from app.infra.models import ChatPayload


async def chat(payload: dict[str, Any]) -> None:
    ChatPayload(**payload)


async def run(arguments: dict[str, Any]) -> None:
    arguments["query"]
    arguments.get("page", 1)


async def send(chat_id: UUID, text: str, limit: int = 10) -> None:
    pass


async def anything(**kwargs: Any) -> None:
    pass
