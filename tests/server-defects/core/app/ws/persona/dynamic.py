from typing import Any

from app.sockets import sio

OP = "dynamic"


def event_name() -> str:
    return "persona.dynamic"


@sio.on(f"persona.{OP}")  # type: ignore
async def dynamic(sid: str, data: dict[str, Any]) -> None:
    pass


@sio.on(event_name())  # type: ignore
async def dynamic_call(sid: str, data: dict[str, Any]) -> None:
    pass
