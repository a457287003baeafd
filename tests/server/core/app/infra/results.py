"""What operations return: the HTTP response bodies, and the fields `.completed` pushes spread in."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import BaseModel

from app.infra.persona.types import Persona
from app.infra.test.types import TestCase


class PersonaPage(BaseModel):
    personas: list[Persona]
    total: int


class PersonaSummary(BaseModel):
    id: UUID
    name: str
    tags: list[str]
    found: bool = True


class AttemptStarted(BaseModel):
    scenario_id: UUID
    persona_id: str | None = None
    max_turns: int


class ChatReply(BaseModel):
    chat_id: UUID
    reply: str


class VoiceReceived(BaseModel):
    chat_id: str
    bytes: int
    mime: str


class SpeakStarted(BaseModel):
    chat_id: UUID
    voice: str


class Silenced(BaseModel):
    silenced: bool


class DocumentStored(BaseModel):
    name: str
    bytes: int
    mime: str


class ScenarioCreated(BaseModel):
    id: UUID
    name: str
    steps: int


class Page(BaseModel):
    """A page of search results."""

    items: list[dict[str, Any]]
    page: int


class ActivityPage(BaseModel):
    since: str
    limit: int
    profile_id: str | None = None


class Health(BaseModel):
    status: str
    version: str
    uptime_seconds: int


class GeneratedTests(BaseModel):
    scenario_id: UUID
    cases: list[TestCase]
