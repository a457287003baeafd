import base64
from typing import Any

from pydantic import BaseModel, Field

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

    async def work() -> dict[str, Any]:
        content = base64.b64decode(payload.content_base64)
        return {"name": payload.name, "bytes": len(content), "mime": payload.mime}

    await run_operation(sid, "document.upload", work)
