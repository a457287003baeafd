"""Test generation and invocation models."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any, Optional
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


class InvocationResult(BaseModel):
    """What one run of a test returns."""

    invocation_id: UUID
    passed: bool
    score: float = Field(..., ge=0, le=1)
    details: dict[str, Any] = {}
