from . import get  # noqa: F401
