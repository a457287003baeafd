"""What the real libraries say about the fixture server, as JSON on stdout.

- `events`: every event python-socketio registered on the client-facing server.
- `models`: `model_json_schema()` of every Pydantic model and enum defined under `app`, with the
  empty collection a `default_factory` of `list`, `dict`, `set` or `tuple` makes written as the
  field's default (what the model applies; Pydantic's schema leaves it out).

Run with the fixture venv: `.venv/bin/python tests/server/oracle.py`.
"""

from __future__ import annotations

import enum
import importlib
import json
import pkgutil
import sys
from pathlib import Path

from pydantic import BaseModel, TypeAdapter

sys.path.insert(0, str(Path(__file__).parent / "core"))

import app  # noqa: E402
import app.main  # noqa: E402,F401 - registers every handler
from app.sockets import sio  # noqa: E402


def modules():
    for info in pkgutil.walk_packages(app.__path__, prefix="app."):
        yield importlib.import_module(info.name)


EMPTY_FACTORIES = {list: [], set: [], frozenset: [], tuple: [], dict: {}}


def with_factory_defaults(model: type[BaseModel]) -> dict:
    schema = model.model_json_schema()
    for name, field in model.model_fields.items():
        factory = field.default_factory
        if factory in EMPTY_FACTORIES:
            schema["properties"][field.alias or name]["default"] = EMPTY_FACTORIES[factory]
    return schema


def main() -> None:
    events = sorted(name for name in sio.handlers.get("/", {}) if name not in ("connect", "disconnect"))
    models = {}
    for module in modules():
        for value in vars(module).values():
            if getattr(value, "__module__", None) != module.__name__:
                continue
            if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel:
                models[value.__name__] = with_factory_defaults(value)
            elif isinstance(value, type) and issubclass(value, enum.Enum):
                models[value.__name__] = TypeAdapter(value).json_schema()
    json.dump({"events": events, "models": models}, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main()
