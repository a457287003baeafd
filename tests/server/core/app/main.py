"""The ASGI app: socket.io on /socket.io."""

from __future__ import annotations

import socketio

import app.ws  # noqa: F401 - registers every handler
from app.sockets import sio

app = socketio.ASGIApp(sio)
