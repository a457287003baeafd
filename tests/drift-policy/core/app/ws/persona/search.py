from typing import Any

from pydantic import BaseModel

from app.sockets import sio


class SearchPersonas(BaseModel):
    text: str
    limit: int = 10


@sio.on("persona.search")  # type: ignore
async def persona_search(sid: str, data: dict[str, Any]) -> None:
    SearchPersonas.model_validate(data or {})
