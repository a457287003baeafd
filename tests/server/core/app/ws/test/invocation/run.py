from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from app import services
from app.infra.test.types import ExactMatch, RubricScore
from app.sockets import sio


class InvocationRunPayload(BaseModel):
    test_id: UUID
    inputs: dict[str, Any] = Field(default_factory=dict)
    dry_run: bool = False
    grader: ExactMatch | RubricScore | None = Field(None, discriminator="kind")


@sio.on("test.invocation_run")  # type: ignore
async def invocation_run(sid: str, data: dict[str, Any]) -> dict[str, Any]:
    """Runs a test and acknowledges with its result."""
    payload = InvocationRunPayload.model_validate(data)
    result = await services.invocation_run(payload.test_id, payload.inputs, payload.dry_run)
    return result.model_dump(mode="json")
