"""Scenario payloads."""

from __future__ import annotations

from typing import Dict, List, Union
from uuid import UUID

from pydantic import BaseModel, Field

from app.ws.pagination import PaginatedWsSearch


class ScenarioSearchPayload(PaginatedWsSearch):
    """Search scenarios."""

    query: str | None = None
    persona_ids: list[UUID] | None = None


class ScenarioStep(BaseModel):
    """One step of a scenario: a prompt and what a good answer contains."""

    prompt: str = Field(..., min_length=1)
    expected: List[str] = []
    weight: Union[int, float] = 1


class ScenarioCreatePayload(BaseModel):
    name: str = Field(..., min_length=1, max_length=200)
    steps: list[ScenarioStep]
    metadata: Dict[str, str] = Field(default_factory=dict)
    persona_id: UUID | None = None
