from app.sockets import sio


@sio.on("draft.create")  # type: ignore
async def draft_create(sid, data):
    pass
