"""Running an operation over the socket: `.started`, then `.completed` or `.failed` pushes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel

from app.pushes import envelope, failure
from app.sockets import sio


def _jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return value


async def run_operation(
    sid: str,
    operation_key: str,
    work: Callable[[], Awaitable[Any]],
    *,
    tool: str | None = None,
) -> Any:
    """Runs `work`, pushing `<operation_key>.started|.completed|.failed` to `sid`.

    The envelope carries `call_id`, `group_id`, `operation_key`, `tool` and `role`; the result
    is spread into `.completed`; `.failed` carries `message` and `error_type`.
    """
    pushed = envelope(operation_key, tool=tool)
    await sio.emit(f"{operation_key}.started", pushed, to=sid)
    try:
        result = _jsonable(await work())
    except Exception as error:  # noqa: BLE001 - every failure becomes a `.failed` push
        await sio.emit(f"{operation_key}.failed", failure(pushed, error), to=sid)
        return None
    completed = {**pushed, **result} if isinstance(result, dict) else {**pushed, "result": result}
    await sio.emit(f"{operation_key}.completed", completed, to=sid)
    return result


async def progress(sid: str, operation_key: str, done: int, total: int) -> None:
    """Pushes `<operation_key>.progress`."""
    await sio.emit(f"{operation_key}.progress", {"operation_key": operation_key, "done": done, "total": total}, to=sid)
