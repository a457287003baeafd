"""An in-memory persona store."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from app.infra.persona.types import Persona, PersonaSearchPayload, Visibility

_PERSONAS: dict[uuid.UUID, Persona] = {}


def create(name: str, description: str | None, tags: list[str], visibility: Visibility) -> Persona:
    persona = Persona(
        id=uuid.uuid4(),
        name=name,
        description=description,
        tags=tags,
        visibility=visibility,
        created_at=datetime.now(timezone.utc),
    )
    _PERSONAS[persona.id] = persona
    return persona


def get(persona_id: uuid.UUID) -> Persona:
    try:
        return _PERSONAS[persona_id]
    except KeyError:
        raise LookupError(f"no persona {persona_id}") from None


def search(payload: PersonaSearchPayload) -> list[Persona]:
    found = [
        p
        for p in _PERSONAS.values()
        if (payload.query is None or payload.query.lower() in p.name.lower())
        and (payload.visibility is None or p.visibility == payload.visibility)
        and (not payload.tags or set(payload.tags) & set(p.tags))
    ]
    found.sort(key=lambda p: p.name if payload.sort == "name" else p.created_at.isoformat())
    start = (payload.page - 1) * payload.page_size
    return found[start : start + payload.page_size]
