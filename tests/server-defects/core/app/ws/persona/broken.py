from app.sockets import sio


@sio.on("persona.broken")  # type: ignore
async def broken(sid, data:
    return None
