from typing import Any

from app import services
from app.infra.persona.types import PersonaSearchPayload
from app.realtime import run_operation
from app.sockets import sio


@sio.on("persona.search")  # type: ignore
async def persona_search(sid: str, data: dict[str, Any]) -> None:
    payload = PersonaSearchPayload.model_validate(data)
    await run_operation(sid, "persona.search", lambda: services.persona_search(payload))
