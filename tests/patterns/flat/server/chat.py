from typing import Any

import socketio

from server.app import sio


class Chat(socketio.AsyncNamespace):
    async def on_connect(self, sid: str, environ: dict[str, Any]) -> None:
        pass

    async def on_typing(self, sid: str, data: dict[str, Any]) -> None:
        data["room"]


sio.register_namespace(Chat("/chat"))
