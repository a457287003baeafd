"""A python-socketio server not laid out as Glow's: handlers of every registration form in one
flat package, two namespaces besides `/`."""

from . import chat, handlers  # noqa: F401
