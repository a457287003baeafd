"""The operations themselves, shared by the socket handlers and the HTTP routes."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable
from uuid import UUID

from app.infra.persona import store
from app.infra.persona.types import Persona, PersonaSearchPayload, Visibility
from app.infra.results import (
    ActivityPage,
    AttemptStarted,
    ChatReply,
    DocumentStored,
    GeneratedTests,
    Health,
    Page,
    PersonaPage,
    PersonaSummary,
    ScenarioCreated,
    Silenced,
    SpeakStarted,
    VoiceReceived,
)
from app.infra.scenario.types import ScenarioCreatePayload
from app.infra.test.types import InvocationResult, TestCase, TestGeneratePayload

VERSION = "1.4.0"

Progress = Callable[[int, int], Awaitable[None]]


async def persona_search(payload: PersonaSearchPayload) -> PersonaPage:
    personas = store.search(payload)
    return PersonaPage(personas=personas, total=len(personas))


async def persona_get(persona_id: UUID) -> PersonaSummary:
    persona = store.get(persona_id)
    return PersonaSummary(id=persona.id, name=persona.name, tags=persona.tags)


async def persona_read(persona_id: UUID) -> Persona:
    return store.get(persona_id)


async def persona_create(
    name: str, description: str | None, tags: list[str], visibility: Visibility
) -> Persona:
    return store.create(name, description, tags, visibility)


async def attempt_start(scenario_id: UUID, persona_id: str | None, max_turns: int) -> AttemptStarted:
    return AttemptStarted(scenario_id=scenario_id, persona_id=persona_id, max_turns=max_turns)


Tokens = Callable[[str], Awaitable[None]]


async def chat_message(chat_id: UUID, text: str, stream: Tokens | None = None) -> ChatReply:
    """Echoes `text`, streaming the reply word by word to `stream` first."""
    reply = f"echo: {text}"
    if stream is not None:
        for token in reply.split(" "):
            await stream(token)
    return ChatReply(chat_id=chat_id, reply=reply)


async def chat_voice(chat_id: str, audio: str, mime: str) -> VoiceReceived:
    return VoiceReceived(chat_id=chat_id, bytes=len(audio), mime=mime)


async def chat_speak(chat_id: UUID, voice: str) -> SpeakStarted:
    return SpeakStarted(chat_id=chat_id, voice=voice)


async def chat_silence() -> Silenced:
    return Silenced(silenced=True)


async def document_upload(name: str, content_base64: str, mime: str) -> DocumentStored:
    content = base64.b64decode(content_base64)
    return DocumentStored(name=name, bytes=len(content), mime=mime)


async def scenario_create(payload: ScenarioCreatePayload) -> ScenarioCreated:
    return ScenarioCreated(id=uuid.uuid4(), name=payload.name, steps=len(payload.steps))


async def search_page(page: int) -> Page:
    return Page(items=[], page=page)


async def activity_search(since: str | None, limit: int, profile_id: str | None) -> ActivityPage:
    return ActivityPage(
        since=since or datetime.now(timezone.utc).isoformat(), limit=limit, profile_id=profile_id
    )


async def health() -> Health:
    return Health(status="ok", version=VERSION, uptime_seconds=0)


async def test_generate(payload: TestGeneratePayload, progress: Progress | None = None) -> GeneratedTests:
    cases = []
    for index in range(payload.count):
        cases.append(TestCase(title=f"case {index + 1}"))
        if progress is not None:
            await progress(index + 1, payload.count)
    return GeneratedTests(scenario_id=payload.scenario_id, cases=cases)


async def invocation_run(test_id: UUID, inputs: dict[str, Any], dry_run: bool) -> InvocationResult:
    return InvocationResult(invocation_id=uuid.uuid4(), passed=not dry_run, score=1.0, details=inputs)
