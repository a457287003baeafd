"""python-socketio's own client doing the round trips the Rust benchmark does.

    python bench_client.py <url> <token> <round trips per thread> <threads>

Each thread has its own connection and, in turn, emits `attempt.chat_message` and waits for its
`attempt.chat_message.completed` push. Prints one JSON line: the round trips' latencies (ms) and
the wall time (s).
"""

from __future__ import annotations

import json
import sys
import threading
import time
import uuid

import socketio

CHAT = "6f1c3b1e-8f7a-4c1b-9d1e-2a3b4c5d6e7f"


def worker(url: str, token: str, count: int, latencies: list[float], ready: threading.Barrier) -> None:
    done = threading.Event()
    client = socketio.Client()
    client.on("attempt.chat_message.completed", lambda data: done.set())
    client.connect(url, auth={"token": f"Bearer {token}"}, transports=["websocket"])
    ready.wait()
    for index in range(count):
        done.clear()
        started = time.perf_counter()
        client.emit("attempt.chat_message", {"chat_id": CHAT, "text": f"python {index} {uuid.uuid4()}"})
        if not done.wait(10):
            raise TimeoutError("no attempt.chat_message.completed within 10 s")
        latencies.append((time.perf_counter() - started) * 1000)
    client.disconnect()


def main() -> None:
    url, token, count, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    latencies: list[float] = []
    ready = threading.Barrier(threads + 1)
    workers = [
        threading.Thread(target=worker, args=(url, token, count, latencies, ready)) for _ in range(threads)
    ]
    for thread in workers:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    for thread in workers:
        thread.join()
    print(json.dumps({"latencies_ms": latencies, "wall_s": time.perf_counter() - started}))


if __name__ == "__main__":
    main()
