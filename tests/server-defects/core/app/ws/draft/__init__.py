from . import create  # noqa: F401
