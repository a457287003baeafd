from . import group  # noqa: F401
