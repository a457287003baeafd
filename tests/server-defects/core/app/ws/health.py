from app.sockets import sio


@sio.on("health")  # type: ignore
async def health(sid, data):
    return {"ok": True}
