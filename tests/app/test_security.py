"""The token gate and the --host rules, as ASGI calls (no server, no browser)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from stigma_outcomes.app.security import COOKIE, TokenGate, address, new_token, token_for
from stigma_outcomes.errors import InputError

TOKEN = "s3cret-token-for-tests-0123456789"


class Recorder:
    """A stand-in for the Shiny app: records what reached it, reads the whole body."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.body = b""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.calls.append(scope["path"])
        if scope["type"] == "http":
            more = True
            while more:
                message = await receive()
                self.body += message.get("body", b"")
                more = message.get("more_body", False)
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"app"})


def call(
    gate: TokenGate,
    path: str = "/",
    *,
    query: str = "",
    cookie: str | None = None,
    method: str = "GET",
    kind: str = "http",
    body: list[bytes] | None = None,
    length: int | None = None,
) -> tuple[int | None, dict[bytes, bytes], bytes, list[dict[str, Any]]]:
    headers = []
    if cookie is not None:
        headers.append((b"cookie", f"{COOKIE}={cookie}".encode()))
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    scope = {
        "type": kind,
        "path": path,
        "query_string": query.encode(),
        "method": method,
        "headers": headers,
    }
    chunks = list(body or [b""])
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        chunk = chunks.pop(0) if chunks else b""
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    # A thread of its own: the browser tests' Playwright keeps an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, gate(scope, receive, send)).result()
    start = next((m for m in sent if m["type"] == "http.response.start"), None)
    status = start["status"] if start else None
    head = dict(start["headers"]) if start else {}
    text = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, head, text, sent


def test_no_token_no_entry() -> None:
    app = Recorder()
    gate = TokenGate(app, TOKEN, 1000)
    for kwargs in ({}, {"query": "token=wrong"}, {"cookie": "wrong"}, {"cookie": ""}):
        status, _, text, _ = call(gate, **kwargs)
        assert status == 403 and b"private to the person who started it" in text
    _, _, _, sent = call(gate, "/websocket/", kind="websocket")
    assert sent == [{"type": "websocket.close", "code": 1008}]
    assert app.calls == []


def test_the_token_becomes_a_strict_cookie_and_leaves_the_address() -> None:
    app = Recorder()
    gate = TokenGate(app, TOKEN, 1000)
    status, head, _, _ = call(gate, "/", query=f"token={TOKEN}")
    assert status == 303 and head[b"location"] == b"/"
    cookie = head[b"set-cookie"].decode()
    assert cookie.startswith(f"{COOKIE}={TOKEN};") and "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    status, head, text, _ = call(gate, "/", cookie=TOKEN)
    assert (status, text) == (200, b"app") and head[b"referrer-policy"] == b"no-referrer"
    assert b"connect-src 'self'" in head[b"content-security-policy"]
    assert app.calls == ["/"]


def test_uploads_over_the_limit_are_refused_with_a_message() -> None:
    app = Recorder()
    gate = TokenGate(app, TOKEN, 1000)
    path = "/session/abc/upload/1"
    status, _, text, _ = call(gate, path, method="POST", cookie=TOKEN, length=5000)
    assert status == 413 and b"over the 0.001 MB upload limit" in text and app.calls == []
    # No (or a false) length: counted as it streams.
    status, _, text, _ = call(gate, path, method="POST", cookie=TOKEN, body=[b"x" * 600] * 3)
    assert status == 413 and b"upload limit" in text
    status, _, _, _ = call(gate, path, method="POST", cookie=TOKEN, body=[b"x" * 400] * 2)
    assert status == 200 and app.body.endswith(b"x" * 800)


def test_host_needs_a_token_file(tmp_path: Path) -> None:
    assert len(token_for("127.0.0.1", None)) >= 43
    with pytest.raises(InputError, match="no token file was given"):
        token_for("0.0.0.0", None)
    short = tmp_path / "short.txt"
    short.write_text("abc\n", encoding="utf-8")
    with pytest.raises(InputError, match="too short"):
        token_for("0.0.0.0", short)
    with pytest.raises(InputError, match="token file not found"):
        token_for("0.0.0.0", tmp_path / "missing.txt")
    good = tmp_path / "token.txt"
    good.write_text(f"{TOKEN}\n", encoding="utf-8")
    assert token_for("0.0.0.0", good) == TOKEN


def test_tokens_and_addresses() -> None:
    assert new_token() != new_token()
    assert address("::1", 80, "a b") == "http://[::1]:80/?token=a+b"
