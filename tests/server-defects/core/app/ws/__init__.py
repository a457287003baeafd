from . import health, persona, system  # noqa: F401  (draft is never imported)
