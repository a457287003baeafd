import json
from typing import Any

from app.sockets import sio


@sio.on("shapes.only_outside")
async def handle(sid: str, data: dict[str, Any]) -> None:
    # Handed only to code outside the server: nothing here says what it carries.
    print(json.dumps(data))
