"""Routes: each calls the same service as its socket twin."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, HTTPException, Security, status
from fastapi.security import HTTPBearer

from app import services
from app.http.bodies import ActivitySearchBody, AttemptStartBody, ChatVoiceBody
from app.infra.persona.types import Persona, PersonaSearchPayload
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
from app.infra.scenario.types import ScenarioCreatePayload, ScenarioSearchPayload
from app.infra.test.types import InvocationResult, TestGeneratePayload
from app.ws.attempt.chat.speak import ChatSpeakPayload
from app.ws.attempt.message import ChatMessagePayload
from app.ws.document.upload import DocumentUploadPayload
from app.ws.persona.create import PersonaCreatePayload
from app.ws.persona.get import PersonaGetPayload
from app.ws.test.benchmark.search import BenchmarkSearchPayload
from app.ws.test.invocation.run import InvocationRunPayload
from app.ws.test.invocation.search import InvocationSearchPayload

# The middleware in `app.main` checks the bearer; declaring the scheme here documents it in the
# OpenAPI document (`securitySchemes.HTTPBearer`, `security` on every route).
bearer = HTTPBearer(auto_error=False)

router = APIRouter(dependencies=[Security(bearer)])


@router.post("/persona/search")
async def persona_search(payload: PersonaSearchPayload) -> PersonaPage:
    return await services.persona_search(payload)


@router.post("/persona/get")
async def persona_get(payload: PersonaGetPayload) -> PersonaSummary:
    try:
        return await services.persona_get(payload.persona_id)
    except LookupError as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(error)) from None


@router.post("/persona/create")
async def persona_create(payload: PersonaCreatePayload) -> Persona:
    return await services.persona_create(payload.name, payload.description, payload.tags, payload.visibility)


@router.get("/persona/{persona_id}")
async def persona_read(persona_id: UUID, include_tags: bool = True) -> Persona:
    """Reads one persona (HTTP only)."""
    try:
        persona = await services.persona_read(persona_id)
    except LookupError as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(error)) from None
    return persona if include_tags else persona.model_copy(update={"tags": []})


@router.post("/attempt/start")
async def attempt_start(payload: AttemptStartBody) -> AttemptStarted:
    return await services.attempt_start(payload.scenario_id, payload.persona_id, payload.max_turns)


@router.post("/attempt/chat/message")
async def attempt_chat_message(payload: ChatMessagePayload) -> ChatReply:
    return await services.chat_message(payload.chat_id, payload.text)


@router.post("/attempt/chat/voice")
async def attempt_chat_voice(payload: ChatVoiceBody) -> VoiceReceived:
    return await services.chat_voice(payload.chat_id, payload.audio, payload.mime)


@router.post("/attempt/chat/speak")
async def attempt_chat_speak(payload: ChatSpeakPayload) -> SpeakStarted:
    return await services.chat_speak(payload.chat_id, payload.voice)


@router.post("/attempt/chat/silence")
async def attempt_chat_silence() -> Silenced:
    return await services.chat_silence()


@router.post("/document/upload")
async def document_upload(payload: DocumentUploadPayload) -> DocumentStored:
    return await services.document_upload(payload.name, payload.content_base64, payload.mime)


@router.post("/scenario/search")
async def scenario_search(payload: ScenarioSearchPayload) -> Page:
    return await services.search_page(payload.page)


@router.post("/scenario/create")
async def scenario_create(payload: ScenarioCreatePayload) -> ScenarioCreated:
    return await services.scenario_create(payload)


@router.post("/system/activity/search")
async def system_activity_search(payload: ActivitySearchBody) -> ActivityPage:
    return await services.activity_search(payload.since, payload.limit, payload.profile_id)


@router.post("/system/health")
async def system_health() -> Health:
    return await services.health()


@router.post("/test/benchmark/search")
async def test_benchmark_search(payload: BenchmarkSearchPayload) -> Page:
    return await services.search_page(payload.page)


@router.post("/test/generate")
async def test_generate(payload: TestGeneratePayload) -> GeneratedTests:
    return await services.test_generate(payload)


@router.post("/test/invocation/run")
async def test_invocation_run(payload: InvocationRunPayload) -> InvocationResult:
    return await services.invocation_run(payload.test_id, payload.inputs, payload.dry_run)


@router.post("/test/invocation/search")
async def test_invocation_search(payload: InvocationSearchPayload) -> Page:
    return await services.search_page(payload.page)
