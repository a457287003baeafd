from . import activity, health  # noqa: F401
