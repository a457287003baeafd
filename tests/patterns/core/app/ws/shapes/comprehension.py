from typing import Any

from app.sockets import sio


@sio.on("shapes.comprehension")
async def handle(sid: str, data: dict[str, Any]) -> None:
    fields = {k: data.get(k) for k in ("name", "description")}
    for key in ["tags"]:
        if key in data:
            pass
