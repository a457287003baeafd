import uuid
from typing import Any

from app.infra.scenario.types import ScenarioCreatePayload as Payload
from app.realtime import run_operation
from app.sockets import sio


@sio.on("scenario.create")  # type: ignore
async def scenario_create(sid: str, data: dict[str, Any]) -> None:
    payload = Payload.model_validate(data)

    async def work() -> dict[str, Any]:
        return {"id": str(uuid.uuid4()), "name": payload.name, "steps": len(payload.steps)}

    await run_operation(sid, "scenario.create", work)
