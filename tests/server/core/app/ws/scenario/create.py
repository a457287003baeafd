from typing import Any

from app.infra.scenario.types import ScenarioCreatePayload as Payload
from app import services
from app.realtime import run_operation
from app.sockets import sio


@sio.on("scenario.create")  # type: ignore
async def scenario_create(sid: str, data: dict[str, Any]) -> None:
    payload = Payload.model_validate(data)

    await run_operation(sid, "scenario.create", lambda: services.scenario_create(payload))
