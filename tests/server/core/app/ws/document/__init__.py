from . import upload  # noqa: F401
