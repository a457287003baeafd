from typing import Any

from app.infra.test.types import TestCase, TestGeneratePayload
from app.realtime import progress, run_operation
from app.sockets import sio


@sio.on("test.generate")  # type: ignore
async def test_generate(sid: str, data: dict[str, Any]) -> None:
    payload = TestGeneratePayload(**data)

    async def work() -> dict[str, Any]:
        cases = []
        for index in range(payload.count):
            cases.append(TestCase(title=f"case {index + 1}").model_dump(mode="json"))
            await progress(sid, "test.generate", index + 1, payload.count)
        return {"scenario_id": str(payload.scenario_id), "cases": cases}

    await run_operation(sid, "test.generate", work)
