from typing import Any

from app.sockets import sio


@sio.on("shapes.closure")
async def handle(sid: str, data: dict[str, Any]) -> None:
    async def work() -> str:
        return data["prompt"]

    def other(data: dict[str, Any]) -> None:
        data["not_the_payload"]

    await work()
