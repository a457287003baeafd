from app.sockets import sio


@sio.on("shapes.star_args")
async def handle(sid: str, *args: object) -> None:
    # python-socketio passes the payload as the first of `*args`.
    chat_id = args[0]["chat_id"]
    print(chat_id)
