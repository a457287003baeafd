"""Persona payloads and records."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Literal, Optional
from uuid import UUID

from pydantic import BaseModel, Field, computed_field

from app.ws.pagination import PaginatedWsSearch


class Visibility(str, Enum):
    """Who can see a persona."""

    PRIVATE = "private"
    TEAM = "team"
    PUBLIC = "public"


class PersonaSearchPayload(PaginatedWsSearch):
    """Search personas by text, tag and visibility."""

    query: str | None = Field(None, description="Free text matched against name and description.")
    tags: list[str] | None = None
    visibility: Optional[Visibility] = None
    sort: Literal["name", "created_at"] = "created_at"


class Persona(BaseModel):
    """A persona record."""

    id: UUID
    name: str
    description: str | None = None
    tags: list[str] = Field(default_factory=list)
    visibility: Visibility = Visibility.PRIVATE
    created_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def display_name(self) -> str:
        return self.name.title()
