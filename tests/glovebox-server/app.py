"""The Glovebox test server: protocol v1 over a plain WebSocket at `/`, with scripted prompts.

The first word of a prompt's text picks a script (`echo`, `slow`, `display`, `fail`, `outputs`,
`unknown-frames`, `close`); see README.md for what each one sends.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import urllib.request
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from fastapi import FastAPI, HTTPException, Request, WebSocket
from fastapi.responses import Response
from starlette.websockets import WebSocketDisconnect, WebSocketDisconnected

TEST_KEY = os.environ.get("GLOVEBOX_TEST_KEY", "test-key")

ENVIRONMENT = {
    "name": "glovebox-test",
    "version": "1.0.0",
    "base": "python:3.11-slim",
    "fs": {"input": {"path": "/input"}, "output": {"path": "/output"}},
    "packages": {"apt": ["ffmpeg"], "pip": ["pillow"]},
    "limits": {"timeout_s": 60, "memory_mb": 512},
    "protocol_version": 1,
}

SLOW_STEP_SECONDS = 0.1
URL_FETCH_TIMEOUT_SECONDS = 10


@dataclass
class Stats:
    """What `GET /_test/stats` reports."""

    environment_requests: int = 0
    connections: int = 0
    file_requests: int = 0


@dataclass(frozen=True)
class StoredFile:
    """A file the server keeps for `GET /files/{id}`."""

    mime: str
    data: bytes


STATS = Stats()
FILES: dict[str, StoredFile] = {}
# Every text frame received (`client`) and sent (`server`), as it was on the wire.
FRAMES: list[dict[str, str]] = []


def is_authorized(headers: Mapping[str, str]) -> bool:
    """Whether the request carries `Authorization: Bearer <GLOVEBOX_TEST_KEY>`."""
    return headers.get("authorization") == f"Bearer {TEST_KEY}"


def store_file(base_url: str, name: str, mime: str, data: bytes) -> dict[str, Any]:
    """Keeps `data` and returns the `server` FileRef that points at it."""
    file_id = uuid.uuid4().hex
    FILES[file_id] = StoredFile(mime, data)
    url = f"{base_url}/files/{file_id}"
    return {"kind": "server", "name": name, "mime": mime, "size": len(data), "id": file_id, "url": url}


def fetch_url(url: str, headers: Mapping[str, str]) -> bytes:
    """Reads a `url` FileRef's bytes (blocking)."""
    request = urllib.request.Request(url, headers=dict(headers))
    with urllib.request.urlopen(request, timeout=URL_FETCH_TIMEOUT_SECONDS) as response:
        return response.read()


async def read_input(ref: Mapping[str, Any]) -> tuple[str, bytes]:
    """The mime and bytes of an input FileRef; refs it cannot read come back as their JSON."""
    kind = ref.get("kind")
    if kind == "inline":
        return ref.get("mime", "application/octet-stream"), base64.b64decode(ref["data"], validate=True)
    if kind == "url":
        data = await asyncio.to_thread(fetch_url, ref["url"], ref.get("headers") or {})
        return ref.get("mime", "application/octet-stream"), data
    return "application/json", json.dumps(ref).encode()


@dataclass(frozen=True)
class Prompt:
    """A `prompt` frame."""

    id: str
    text: str
    inputs: dict[str, Any]


@dataclass(frozen=True)
class Completion:
    """What a script finished with: the `complete` frame's message and outputs."""

    message: str
    outputs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SlotAnswer:
    """The client's answer to a display slot: a value, or the error it rejected the slot with."""

    value: Any = None
    error: str | None = None


class PromptError(Exception):
    """Ends a prompt with an `error` frame carrying `code` and `message`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class SessionClosed(Exception):
    """The script closed the connection; the prompt gets no outcome frame."""


class PromptRun:
    """One prompt being run: what a script sends and waits for."""

    def __init__(self, session: Session, prompt: Prompt, args: list[str]) -> None:
        self.session = session
        self.prompt = prompt
        self.args = args

    async def event(self, event_type: str, data: Any) -> None:
        """Sends an `event` frame for this prompt."""
        await self.session.send({"type": "event", "id": self.prompt.id, "event_type": event_type, "data": data})

    async def ask(self, renderer: str, k: int) -> tuple[str, SlotAnswer]:
        """Pushes display slot `k` and waits for the client to resolve or reject it."""
        slot_id = f"{self.prompt.id}-slot-{k}"
        answer = self.session.open_slot(slot_id)
        try:
            slot = {"id": slot_id, "renderer": renderer, "input": {"prompt": self.prompt.id, "k": k}}
            await self.session.send({"type": "display_push", "slot": slot})
            return slot_id, await answer
        finally:
            self.session.slots.pop(slot_id, None)


Script = Callable[[PromptRun], Awaitable[Completion]]


async def echo(run: PromptRun) -> Completion:
    """Streams each word as a `text_delta`, then the token count, then completes with the words."""
    words = run.args
    for index, word in enumerate(words):
        text = word if index == len(words) - 1 else f"{word} "
        await run.event("text_delta", {"text": text})
    await run.event("token_consumption", {"input": 3, "output": len(words)})
    return Completion(" ".join(words))


async def slow(run: PromptRun) -> Completion:
    """Streams `0`..`n-1` as `text_delta`s 100 ms apart, then completes with `done`."""
    if len(run.args) != 1:
        raise PromptError("TypeError", "usage: slow <n>")
    for index in range(int(run.args[0])):
        if index:
            await asyncio.sleep(SLOW_STEP_SECONDS)
        await run.event("text_delta", {"text": str(index)})
    return Completion("done")


async def display(run: PromptRun) -> Completion:
    """Pushes one slot per renderer in turn; completes with the JSON list of resolved values."""
    values = []
    for k, renderer in enumerate(run.args, start=1):
        slot_id, answer = await run.ask(renderer, k)
        if answer.error is not None:
            await run.session.send({"type": "display_clear", "slot_id": slot_id})
            raise PromptError("DisplayRejected", answer.error)
        await run.event("display_resolved", {"slot_id": slot_id, "value": answer.value})
        await run.session.send({"type": "display_clear", "slot_id": slot_id})
        values.append(answer.value)
    return Completion(json.dumps(values, separators=(",", ":")))


async def fail(run: PromptRun) -> Completion:
    """Fails with the code and message given."""
    code, *message = run.args or ["Error"]
    raise PromptError(code, " ".join(message))


async def outputs(run: PromptRun) -> Completion:
    """Completes with an inline note, a server-kept report, and an `echo-<name>` per input."""
    base_url = run.session.base_url
    files = {
        "note.txt": {
            "kind": "inline",
            "name": "note.txt",
            "mime": "text/plain",
            "data": base64.b64encode(b"hello from glovebox").decode(),
        },
        "report.txt": store_file(base_url, "report.txt", "text/plain", b"report body"),
    }
    for name, ref in run.prompt.inputs.items():
        mime, data = await read_input(ref)
        files[f"echo-{name}"] = store_file(base_url, f"echo-{name}", mime, data)
    return Completion("outputs", files)


async def unknown_frames(run: PromptRun) -> Completion:
    """Sends a frame type and an event type the client does not know, then completes."""
    await run.session.send({"type": "telemetry", "cpu": 0.5})
    await run.event("brand_new_event", {"anything": [1, 2]})
    return Completion("still here")


async def close(run: PromptRun) -> Completion:
    """Closes the connection with 1011 without finishing the prompt."""
    await run.session.close(1011)
    raise SessionClosed()


SCRIPTS: dict[str, Script] = {
    "echo": echo,
    "slow": slow,
    "display": display,
    "fail": fail,
    "outputs": outputs,
    "unknown-frames": unknown_frames,
    "close": close,
}


async def run_script(session: Session, prompt: Prompt) -> Completion:
    """Runs the script the prompt's first word names."""
    command, *args = prompt.text.split() or [""]
    script = SCRIPTS.get(command)
    if script is None:
        raise PromptError("Error", f"unknown script: {prompt.text}")
    return await script(PromptRun(session, prompt, args))


def outcome_frame(prompt: Prompt, task: asyncio.Task[Completion]) -> dict[str, Any]:
    """The `complete` or `error` frame that ends a prompt whose task is done."""
    if task.cancelled():
        code, message = "AbortError", "aborted"
    elif (error := task.exception()) is None:
        completion = task.result()
        return {"type": "complete", "id": prompt.id, "message": completion.message, "outputs": completion.outputs}
    elif isinstance(error, PromptError):
        code, message = error.code, error.message
    else:
        code, message = type(error).__name__, str(error)
    return error_frame(prompt.id, code, message)


def error_frame(prompt_id: str, code: str, message: str) -> dict[str, Any]:
    """An `error` frame for the prompt `prompt_id`."""
    return {"type": "error", "id": prompt_id, "error": {"code": code, "message": message}}


def parse_frame(text: str | None) -> dict[str, Any] | None:
    """The JSON object a text frame holds, or None for anything else."""
    try:
        frame = json.loads(text) if text is not None else None
    except ValueError:
        return None
    return frame if isinstance(frame, dict) else None


class Session:
    """One connection: reads frames and runs its prompts one at a time, in arrival order."""

    def __init__(self, websocket: WebSocket, base_url: str) -> None:
        self.websocket = websocket
        self.base_url = base_url
        self.queue: asyncio.Queue[Prompt] = asyncio.Queue()
        self.pending: dict[str, Prompt] = {}
        self.running: tuple[str, asyncio.Task[Completion]] | None = None
        self.slots: dict[str, asyncio.Future[SlotAnswer]] = {}
        self.send_lock = asyncio.Lock()
        self.closed = False
        self.handlers: dict[str, Callable[[dict[str, Any]], Awaitable[None]]] = {
            "prompt": self.on_prompt,
            "abort": self.on_abort,
            "display_resolve": self.on_display_resolve,
            "display_reject": self.on_display_reject,
            "ping": self.on_ping,
        }

    async def serve(self) -> None:
        """Runs the session until the client goes away."""
        worker = asyncio.create_task(self.work())
        try:
            await self.read()
        finally:
            self.closed = True
            worker.cancel()
            (outcome,) = await asyncio.gather(worker, return_exceptions=True)
        if isinstance(outcome, Exception):
            raise outcome

    async def read(self) -> None:
        """Handles incoming frames, ignoring the ones that are not JSON objects of a known type."""
        while True:
            message = await self.websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            if message.get("text") is not None:
                FRAMES.append({"from": "client", "text": message["text"]})
            frame = parse_frame(message.get("text"))
            frame_type = frame.get("type") if frame else None
            handler = self.handlers.get(frame_type) if isinstance(frame_type, str) else None
            if frame is not None and handler is not None:
                await handler(frame)

    async def work(self) -> None:
        """Runs queued prompts one at a time; an abort cancels the running one."""
        while True:
            prompt = await self.queue.get()
            if self.pending.get(prompt.id) is not prompt:
                continue
            del self.pending[prompt.id]
            task = asyncio.create_task(run_script(self, prompt))
            self.running = (prompt.id, task)
            try:
                await asyncio.wait({task})
            finally:
                self.running = None
                task.cancel()
            frame = outcome_frame(prompt, task)
            if self.closed:
                return
            await self.send(frame)

    async def send(self, frame: dict[str, Any]) -> None:
        """Sends a frame; once the connection is gone, frames are dropped."""
        async with self.send_lock:
            if self.closed:
                return
            try:
                text = json.dumps(frame)
                FRAMES.append({"from": "server", "text": text})
                await self.websocket.send_text(text)
            except (WebSocketDisconnect, WebSocketDisconnected):
                self.closed = True

    async def close(self, code: int) -> None:
        """Closes the connection from the server side."""
        async with self.send_lock:
            if not self.closed:
                self.closed = True
                await self.websocket.close(code)

    def open_slot(self, slot_id: str) -> asyncio.Future[SlotAnswer]:
        """A future the slot's `display_resolve` or `display_reject` settles."""
        answer = asyncio.get_running_loop().create_future()
        self.slots[slot_id] = answer
        return answer

    async def on_prompt(self, frame: dict[str, Any]) -> None:
        """Queues a prompt; a malformed one with an id fails at once."""
        prompt_id, text, inputs = frame.get("id"), frame.get("text"), frame.get("inputs") or {}
        if not isinstance(prompt_id, str):
            return
        if not isinstance(text, str) or not isinstance(inputs, dict):
            await self.send(error_frame(prompt_id, "TypeError", "a prompt needs a text and an inputs object"))
            return
        prompt = Prompt(prompt_id, text, inputs)
        self.pending[prompt_id] = prompt
        self.queue.put_nowait(prompt)

    async def on_abort(self, frame: dict[str, Any]) -> None:
        """Cancels the running prompt, or drops a queued one; unknown ids are ignored."""
        prompt_id = frame.get("id")
        if self.running is not None and self.running[0] == prompt_id:
            self.running[1].cancel()
        elif isinstance(prompt_id, str) and self.pending.pop(prompt_id, None) is not None:
            await self.send(error_frame(prompt_id, "AbortError", "aborted"))

    async def on_display_resolve(self, frame: dict[str, Any]) -> None:
        """Answers a pushed slot with a value."""
        self.answer_slot(frame.get("slot_id"), SlotAnswer(value=frame.get("value")))

    async def on_display_reject(self, frame: dict[str, Any]) -> None:
        """Refuses a pushed slot with the client's error."""
        error = frame.get("error")
        self.answer_slot(frame.get("slot_id"), SlotAnswer(error=error if isinstance(error, str) else str(error)))

    def answer_slot(self, slot_id: Any, answer: SlotAnswer) -> None:
        """Settles the slot's future if a script waits on it."""
        waiting = self.slots.get(slot_id) if isinstance(slot_id, str) else None
        if waiting is not None and not waiting.done():
            waiting.set_result(answer)

    async def on_ping(self, frame: dict[str, Any]) -> None:
        """Answers with a `pong`, echoing `ts` when given."""
        await self.send({"type": "pong", **({"ts": frame["ts"]} if "ts" in frame else {})})


app = FastAPI(title="Glovebox test server", version=ENVIRONMENT["version"])


def require_key(request: Request) -> None:
    """Refuses a request without the test key with a 401."""
    if not is_authorized(request.headers):
        raise HTTPException(status_code=401, detail="unauthorized")


@app.get("/health")
async def health() -> dict[str, bool]:
    """Answers once the server is up."""
    return {"ok": True}


@app.get("/environment")
async def environment(request: Request) -> dict[str, Any]:
    """What the box runs on and offers."""
    require_key(request)
    STATS.environment_requests += 1
    return ENVIRONMENT


@app.get("/files/{file_id}")
async def read_file(file_id: str, request: Request) -> Response:
    """The bytes of a file the server keeps."""
    require_key(request)
    STATS.file_requests += 1
    stored = FILES.get(file_id)
    if stored is None:
        raise HTTPException(status_code=404, detail="no such file")
    return Response(stored.data, media_type=stored.mime)


@app.get("/_test/stats")
async def test_stats() -> dict[str, int]:
    """The counters tests check client-side caching with."""
    return asdict(STATS)


@app.get("/_test/frames")
async def test_frames() -> list[dict[str, str]]:
    """Every text frame so far, in order, with its side: what round-trip tests decode."""
    return FRAMES


@app.websocket("/")
async def glovebox_socket(websocket: WebSocket) -> None:
    """One session per connection; a missing or wrong key gets a bare HTTP 401."""
    if not is_authorized(websocket.headers):
        await websocket.send_denial_response(Response(status_code=401))
        return
    await websocket.accept()
    STATS.connections += 1
    server_host, server_port = websocket.scope.get("server") or ("127.0.0.1", 80)
    host = websocket.headers.get("host") or f"{server_host}:{server_port}"
    await Session(websocket, f"http://{host}").serve()
