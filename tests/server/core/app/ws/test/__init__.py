from . import benchmark, generate, invocation  # noqa: F401
