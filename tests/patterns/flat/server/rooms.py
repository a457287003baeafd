from typing import Any


async def leave(sid: str, data: dict[str, Any]) -> None:
    data["room"]
