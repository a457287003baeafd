from . import run, search  # noqa: F401
