from app.sockets import sio


@sio.on("system.group_legacy")  # type: ignore
async def group_legacy(sid, data):
    pass
