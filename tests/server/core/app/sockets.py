"""The socket.io server every handler registers on, and an in-process event bus."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

import socketio

from app.pushes import envelope, failure

LIFECYCLE = {"connect", "disconnect", "*"}


class Server(socketio.AsyncServer):
    """A server whose client events report a handler's failure to the caller.

    A handler that raises (a payload that does not validate, a lookup that fails) pushes
    `<event>.failed` to the caller instead of only logging it, as `run_operation` does for the
    work it runs.
    """

    def on(self, event: str, handler: Callable[..., Awaitable[Any]] | None = None, namespace: str | None = None) -> Any:
        if event in LIFECYCLE:
            return super().on(event, handler, namespace)

        def register(function: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
            @functools.wraps(function)
            async def reporting(sid: str, *args: Any) -> Any:
                try:
                    return await function(sid, *args)
                except Exception as error:  # noqa: BLE001 - every failure goes back to the caller
                    await self.emit(f"{event}.failed", failure(envelope(event), error), to=sid)
                    return None

            super(Server, self).on(event, reporting, namespace)
            return function

        return register(handler) if handler is not None else register


sio = Server(async_mode="asgi", cors_allowed_origins="*")

# An in-process bus: handlers on it are not client-callable.
internal_sio = socketio.AsyncServer(async_mode="asgi")
