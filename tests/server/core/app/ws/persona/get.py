from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from app import services
from app.sockets import sio


class PersonaGetPayload(BaseModel):
    persona_id: UUID = Field(...)


@sio.on("persona.get")  # type: ignore
async def persona_get(sid: str, data: dict[str, Any]) -> dict[str, Any]:
    """Acknowledges with the persona's summary."""
    payload = PersonaGetPayload(**data)
    summary = await services.persona_get(payload.persona_id)
    return summary.model_dump(mode="json")
