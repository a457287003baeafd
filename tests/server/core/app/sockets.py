"""The socket.io server every handler registers on, and an in-process event bus."""

from __future__ import annotations

import socketio

sio = socketio.AsyncServer(async_mode="asgi", cors_allowed_origins="*")

# An in-process bus: handlers on it are not client-callable.
internal_sio = socketio.AsyncServer(async_mode="asgi")
