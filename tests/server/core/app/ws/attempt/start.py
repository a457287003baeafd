from typing import Any
from uuid import UUID

from app import services
from app.realtime import run_operation
from app.sockets import sio


@sio.on("attempt.start")  # type: ignore
async def attempt_start(sid: str, data: dict[str, Any]) -> None:
    scenario_id = UUID(data["scenario_id"])
    persona_id = data.get("persona_id")
    max_turns = int(data.get("max_turns", 10))

    await run_operation(sid, "attempt.start", lambda: services.attempt_start(scenario_id, persona_id, max_turns))
