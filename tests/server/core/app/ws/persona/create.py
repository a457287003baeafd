from typing import Any, Literal

from pydantic import BaseModel, Field

from app import services
from app.infra.persona.types import Visibility
from app.realtime import run_operation
from app.sockets import sio


class PersonaCreatePayload(BaseModel):
    """Create a persona."""

    name: str = Field(..., min_length=1, max_length=120)
    description: str | None = Field(None, max_length=2000)
    tags: list[str] = Field(default_factory=list)
    visibility: Visibility = Visibility.PRIVATE
    kind: Literal["human", "synthetic"] = "human"
    traits: dict[str, float] = {}


@sio.on("persona.create")  # type: ignore
async def persona_create(sid: str, data: dict[str, Any]) -> None:
    payload = PersonaCreatePayload(**data)

    await run_operation(
        sid,
        "persona.create",
        lambda: services.persona_create(payload.name, payload.description, payload.tags, payload.visibility),
    )
