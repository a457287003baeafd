"""python-socketio's own registry of a server package: every event it would dispatch, by namespace.

    python registry.py <import root> <package>

Imports the package (which registers its handlers, as the server does at start), finds the
`socketio` servers named `sio` among its modules, and prints one JSON object: namespace → sorted
event names, the lifecycle events (`connect`, `disconnect`) left out.
"""

from __future__ import annotations

import importlib
import json
import sys

import socketio

LIFECYCLE = {"connect", "disconnect", "*"}


def main() -> None:
    root, package = sys.argv[1], sys.argv[2]
    sys.path.insert(0, root)
    importlib.import_module(package)
    servers = {
        id(module.sio): module.sio
        for name, module in list(sys.modules.items())
        if (name == package or name.startswith(package + "."))
        and isinstance(getattr(module, "sio", None), (socketio.AsyncServer, socketio.Server))
    }
    events: dict[str, set[str]] = {}
    for server in servers.values():
        for namespace, handlers in server.handlers.items():
            events.setdefault(namespace, set()).update(e for e in handlers if e not in LIFECYCLE)
        for namespace, handler in server.namespace_handlers.items():
            names = {n[3:] for n in dir(handler) if n.startswith("on_") and n[3:] not in LIFECYCLE}
            events.setdefault(namespace, set()).update(names)
    print(json.dumps({ns: sorted(names) for ns, names in sorted(events.items())}))


if __name__ == "__main__":
    main()
