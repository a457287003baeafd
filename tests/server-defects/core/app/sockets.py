import socketio

sio = socketio.AsyncServer(async_mode="asgi")
other = socketio.AsyncServer(async_mode="asgi")
