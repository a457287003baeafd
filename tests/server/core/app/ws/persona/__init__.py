from . import create, get, search  # noqa: F401
