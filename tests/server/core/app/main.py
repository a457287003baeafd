"""The ASGI app: FastAPI for HTTP, socket.io on /socket.io, the same services behind both."""

from __future__ import annotations

import socketio
from fastapi import FastAPI

import app.ws  # noqa: F401 - registers every socket handler
from app.http.routes import router
from app.sockets import sio

api = FastAPI(title="Glow fixture", version="1.4.0")
api.include_router(router)

app = socketio.ASGIApp(sio, other_asgi_app=api)
