from . import silence, speak, voice  # noqa: F401
