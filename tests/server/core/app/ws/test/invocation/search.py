from typing import Any
from uuid import UUID

from app import services
from app.realtime import run_operation
from app.sockets import sio
from app.ws.pagination import PaginatedWsSearch


class InvocationSearchPayload(PaginatedWsSearch):
    test_id: UUID | None = None
    passed: bool | None = None


@sio.on("test.invocation_search")  # type: ignore
async def invocation_search(sid: str, data: dict[str, Any]) -> None:
    payload = InvocationSearchPayload(**data)

    await run_operation(sid, "test.invocation_search", lambda: services.search_page(payload.page))
