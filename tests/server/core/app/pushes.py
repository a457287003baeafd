"""The payloads of `<operation>.started|.completed|.failed` pushes."""

from __future__ import annotations

import uuid
from typing import Any


def envelope(operation_key: str, *, tool: str | None = None) -> dict[str, Any]:
    """What every push of one run of an operation carries."""
    return {
        "call_id": str(uuid.uuid4()),
        "group_id": None,
        "operation_key": operation_key,
        "tool": tool or operation_key,
        "role": "assistant",
    }


def failure(envelope: dict[str, Any], error: BaseException) -> dict[str, Any]:
    """The `.failed` push for `error`: the envelope, the message and the error's type."""
    return {**envelope, "message": str(error), "error_type": type(error).__name__}
