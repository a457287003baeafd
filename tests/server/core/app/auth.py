"""Bearer authentication shared by the socket and HTTP surfaces."""

from __future__ import annotations

import os
from dataclasses import dataclass

TOKEN_ENV = "GLOW_FIXTURE_TOKEN"
DEFAULT_TOKEN = "fixture-token"


@dataclass(frozen=True)
class Identity:
    profile_id: str


def expected_token() -> str:
    return os.environ.get(TOKEN_ENV, DEFAULT_TOKEN)


def resolve_identity(authorization: str | None) -> Identity | None:
    """The identity behind an `Authorization`-style value (`Bearer <token>`), or None."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or token != expected_token():
        return None
    return Identity(profile_id="profile-fixture")


_identities: dict[str, Identity] = {}


def remember(sid: str, identity: Identity) -> None:
    _identities[sid] = identity


def forget(sid: str) -> None:
    _identities.pop(sid, None)


def resolve_socket_identity(sid: str) -> Identity | None:
    return _identities.get(sid)
