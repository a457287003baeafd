"""The ASGI app: FastAPI for HTTP, socket.io on /socket.io, the same services behind both."""

from __future__ import annotations

import socketio
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

import app.ws  # noqa: F401 - registers every socket handler
from app.auth import resolve_identity
from app.http.routes import router
from app.sockets import sio

api = FastAPI(title="Glow fixture", version="1.4.0")
api.include_router(router)

# What anyone may read: the API's own description.
PUBLIC = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


@api.middleware("http")
async def authenticate(request: Request, call_next):  # type: ignore[no-untyped-def]
    """Every route needs `Authorization: Bearer <token>`; the identity rides on the request."""
    if request.url.path in PUBLIC:
        return await call_next(request)
    identity = resolve_identity(request.headers.get("authorization"))
    if identity is None:
        return JSONResponse({"detail": "a valid bearer token is required"}, status_code=401)
    request.state.identity = identity
    return await call_next(request)


app = socketio.ASGIApp(sio, other_asgi_app=api)
