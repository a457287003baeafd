from typing import Any

from pydantic import BaseModel

from app.sockets import sio


class RatePersona(BaseModel):
    persona_id: str
    stars: int
    sid_hint: str | None = None


@sio.on("persona.rate")  # type: ignore
async def persona_rate(sid: str, data: dict[str, Any]) -> None:
    RatePersona(**(data or {}))
