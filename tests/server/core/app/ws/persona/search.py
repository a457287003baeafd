from typing import Any

from app.infra.persona import store
from app.infra.persona.types import PersonaSearchPayload
from app.realtime import run_operation
from app.sockets import sio


async def _search(payload: PersonaSearchPayload) -> dict[str, Any]:
    personas = store.search(payload)
    return {"personas": [p.model_dump(mode="json") for p in personas], "total": len(personas)}


@sio.on("persona.search")  # type: ignore
async def persona_search(sid: str, data: dict[str, Any]) -> None:
    payload = PersonaSearchPayload.model_validate(data)
    await run_operation(sid, "persona.search", lambda: _search(payload))
