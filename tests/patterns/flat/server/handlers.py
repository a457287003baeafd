from typing import Any

from server.app import sio
from server.models import ChatMessage
from server.rooms import leave


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
# A handler imported from another module.
sio.on("room.leave", leave)


async def rename(sid: str, data: dict[str, Any]) -> None:
    data["name"]


# The decorator, called by hand.
sio.on("room.rename")(rename)
# A handler the reader cannot read: registered all the same, its payload unknown.
sio.on("echo", lambda sid, data: data)


@sio.on("kick", namespace="/admin")
async def kick(sid: str, data: dict[str, Any]) -> None:
    data["user"]
