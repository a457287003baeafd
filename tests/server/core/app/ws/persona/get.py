from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from app.infra.persona import store
from app.sockets import sio


class PersonaGetPayload(BaseModel):
    persona_id: UUID = Field(...)


@sio.on("persona.get")  # type: ignore
async def persona_get(sid: str, data: dict[str, Any]) -> dict[str, Any]:
    """Returns the persona as the ack."""
    payload = PersonaGetPayload(**data)
    persona = store.get(payload.persona_id)
    return {"id": str(persona.id), "name": persona.name, "tags": persona.tags, "found": True}
