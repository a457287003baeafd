from typing import Any

from socketio.exceptions import ConnectionRefusedError

from app.auth import remember, resolve_identity
from app.sockets import sio


@sio.event
async def connect(sid: str, environ: dict[str, Any], auth: dict[str, Any] | None) -> None:
    """Refuses a connection without a valid bearer in `auth.token`."""
    identity = resolve_identity((auth or {}).get("token"))
    if identity is None:
        raise ConnectionRefusedError("a valid bearer token is required")
    remember(sid, identity)
