from . import create, search  # noqa: F401
