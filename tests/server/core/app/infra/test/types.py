"""Test generation and invocation models."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any, Literal, Optional
from uuid import UUID

from pydantic import BaseModel, Field

MAX_CASES = 50


class Difficulty(int, Enum):
    EASY = 1
    MEDIUM = 2
    HARD = 3


class TestCase(BaseModel):
    """A generated test case; cases nest."""

    title: str
    difficulty: Difficulty = Difficulty.MEDIUM
    children: list["TestCase"] = []


class TestGeneratePayload(BaseModel):
    scenario_id: UUID = Field(...)
    count: int = Field(12, ge=1, le=MAX_CASES, description="How many cases to generate.")
    difficulty: Optional[Difficulty] = None
    seed: int | None = None
    due: date | None = None
    template: TestCase | None = None


class ExactMatch(BaseModel):
    """Passes when the answer equals `expected`."""

    kind: Literal["exact"]
    expected: str


class RubricScore(BaseModel):
    """Passes when the rubric scores the answer at least `threshold`."""

    kind: Literal["rubric"]
    rubric_id: UUID
    threshold: float = Field(0.5, ge=0, le=1)


class InvocationResult(BaseModel):
    """What one run of a test returns."""

    invocation_id: UUID
    passed: bool
    score: float = Field(..., ge=0, le=1)
    details: dict[str, Any] = {}
