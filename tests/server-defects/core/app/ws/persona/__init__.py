from . import (  # noqa: F401
    broken,
    dynamic,
    find,
    rate,
    search,
    vanished,  # no such module
)
