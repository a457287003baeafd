from . import ping
