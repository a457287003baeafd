from typing import Any

from server.app import sio
from server.models import ChatMessage


@sio.event
async def connect(sid: str, environ: dict[str, Any]) -> None:
    pass


@sio.event
async def ping(sid: str, data: dict[str, Any]) -> dict[str, bool]:
    return {"pong": bool(data.get("echo"))}


@sio.on("chat.send")
async def send(sid: str, data: dict[str, Any]) -> None:
    ChatMessage(**data)


async def join(sid: str, data: dict[str, Any]) -> None:
    data["room"]


sio.on("room.join", join)


@sio.on("kick", namespace="/admin")
async def kick(sid: str, data: dict[str, Any]) -> None:
    data["user"]
