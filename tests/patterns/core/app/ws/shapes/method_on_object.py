from typing import Any

from app.sockets import sio


class Service:
    async def handle(self, payload: dict[str, Any]) -> None:
        pass


service = Service()


@sio.on("shapes.method_on_object")
async def handle(sid: str, data: dict[str, Any]) -> None:
    await service.handle(data)
