from app.sockets import sio


@sio.on("system.ping")  # type: ignore
async def system_ping(sid: str) -> str:
    return "pong"
