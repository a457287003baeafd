"""HTTP bodies of the operations whose socket handlers read the payload dict directly."""

from uuid import UUID

from pydantic import BaseModel


class AttemptStartBody(BaseModel):
    scenario_id: UUID
    persona_id: str | None = None
    max_turns: int = 10


class ChatVoiceBody(BaseModel):
    chat_id: str
    audio: str
    mime: str = "audio/webm"


class ActivitySearchBody(BaseModel):
    since: str | None = None
    limit: int = 50
    profile_id: str | None = None
