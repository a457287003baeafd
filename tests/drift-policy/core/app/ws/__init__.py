from . import persona, system
