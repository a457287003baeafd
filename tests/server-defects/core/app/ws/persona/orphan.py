from app.sockets import sio


@sio.on("persona.orphan")  # type: ignore
async def orphan(sid, data):
    data.get("x")
