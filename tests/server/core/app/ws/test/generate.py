from typing import Any

from app import services
from app.infra.test.types import TestGeneratePayload
from app.realtime import progress, run_operation
from app.sockets import sio


@sio.on("test.generate")  # type: ignore
async def test_generate(sid: str, data: dict[str, Any]) -> None:
    payload = TestGeneratePayload(**data)

    async def report(done: int, total: int) -> None:
        await progress(sid, "test.generate", done, total)

    await run_operation(sid, "test.generate", lambda: services.test_generate(payload, report))
