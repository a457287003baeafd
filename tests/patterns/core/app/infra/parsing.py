from typing import Any

from app.infra.models import ChatPayload, SearchPayload


async def parse_chat(raw: dict[str, Any]) -> ChatPayload:
    return ChatPayload.model_validate(raw)


def search_from(raw: Any) -> SearchPayload:
    """Builds the payload in a way the reader cannot see; the annotation says what comes back."""
    return SearchPayload(**dict(raw.items()))
