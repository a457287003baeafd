from typing import Any

from pydantic import BaseModel, Field

from app import services
from app.realtime import run_operation
from app.sockets import sio


class DocumentUploadPayload(BaseModel):
    """Upload a text or binary document, base64-encoded."""

    name: str
    content_base64: str
    mime: str = "text/plain"
    size: int | None = Field(None, ge=0)


@sio.on("document.upload")  # type: ignore
async def document_upload(sid: str, data: dict[str, Any]) -> None:
    payload = DocumentUploadPayload(**data)

    await run_operation(
        sid,
        "document.upload",
        lambda: services.document_upload(payload.name, payload.content_base64, payload.mime),
    )
