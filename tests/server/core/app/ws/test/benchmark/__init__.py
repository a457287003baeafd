from . import search  # noqa: F401
