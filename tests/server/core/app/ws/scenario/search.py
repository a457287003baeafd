from typing import Any

import app.infra.scenario.types as scenario_types
from app import services
from app.realtime import run_operation
from app.sockets import sio


@sio.on("scenario.search")  # type: ignore
async def scenario_search(sid: str, data: dict[str, Any]) -> None:
    payload = scenario_types.ScenarioSearchPayload(**data)

    await run_operation(sid, "scenario.search", lambda: services.search_page(payload.page))
