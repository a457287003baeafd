from typing import Any

from app import services
from app.realtime import run_operation
from app.sockets import sio

from ...pagination import PaginatedWsSearch


class BenchmarkSearchPayload(PaginatedWsSearch):
    name: str | None = None
    min_score: float | None = None


@sio.on("test.benchmark_search")  # type: ignore
async def benchmark_search(sid: str, data: dict[str, Any]) -> None:
    payload = BenchmarkSearchPayload.model_validate(data)

    await run_operation(sid, "test.benchmark_search", lambda: services.search_page(payload.page))
