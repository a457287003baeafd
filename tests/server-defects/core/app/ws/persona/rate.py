from typing import Any

from pydantic import BaseModel

from app.sockets import sio


class RatePayload(BaseModel):
    persona_id: str
    vector: NumpyArray


@sio.on("persona.rate")  # type: ignore
async def persona_rate(sid: str, data: dict[str, Any]) -> None:
    RatePayload(**data)
