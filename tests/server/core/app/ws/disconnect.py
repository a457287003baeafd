from app.auth import forget
from app.sockets import sio


@sio.event
async def disconnect(sid: str) -> None:
    forget(sid)
