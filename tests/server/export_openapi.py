"""Writes the fixture server's OpenAPI document, as FastAPI generates it, to openapi.json.

    .venv/bin/python tests/server/export_openapi.py           # rewrite tests/server/openapi.json
    .venv/bin/python tests/server/export_openapi.py --stdout  # print it instead
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "core"))

from app.main import api  # noqa: E402


def document() -> str:
    return json.dumps(api.openapi(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    if "--stdout" in sys.argv[1:]:
        sys.stdout.write(document())
    else:
        (HERE / "openapi.json").write_text(document(), encoding="utf-8")
