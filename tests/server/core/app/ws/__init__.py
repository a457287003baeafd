"""Socket handlers: one `@sio.on("<artifact>.<op>")` per file, registered by importing them."""

from . import (  # noqa: F401 - imported to register handlers
    attempt,
    connect,
    disconnect,
    document,
    output,
    persona,
    scenario,
    system,
    test,
)
