"""Who may reach the workbench, and how much they may upload.

The app holds participants' answers, so it is private to the person who started it, as a
Jupyter server is: it binds to 127.0.0.1, and every request must carry a random per-start token,
first in the address printed on the terminal, then in a cookie the first page sets
(``HttpOnly``, ``SameSite=Strict``, so other sites' pages cannot use it). A request without it
gets 403; an upload over the limit gets 413 with a message the page shows. ``--host`` (a shared
machine) is refused unless the user gives a token file, because a random token printed on one
terminal cannot be shared safely and a guessable one must not guard the data.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from ..errors import InputError

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
COOKIE = "stigma_outcomes_token"
MIN_TOKEN_LENGTH = 16

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def new_token() -> str:
    """A random token for one start of the app (256 bits, URL-safe).

    Examples
    --------
    >>> len(new_token()) >= 43 and new_token() != new_token()
    True
    """
    return secrets.token_urlsafe(32)


def token_for(host: str, token_file: Path | None) -> str:
    """The token guarding this start: random, or read from ``token_file``.

    Raises
    ------
    InputError
        ``host`` is not this machine and no token file was given, or the token file is short.

    Examples
    --------
    >>> token_for("0.0.0.0", None)
    Traceback (most recent call last):
    ...
    stigma_outcomes.errors.InputError: --host 0.0.0.0 would let other machines reach the \
workbench and its participants' data, and no token file was given
      where: stigma-outcomes app --host
      how to fix: add --token-file FILE holding a secret of at least 16 characters that only \
its users know (or leave out --host to stay on this machine)
    """
    if token_file is None:
        if host not in LOCAL_HOSTS:
            raise InputError(
                f"--host {host} would let other machines reach the workbench and its "
                "participants' data, and no token file was given",
                where="stigma-outcomes app --host",
                fix=f"add --token-file FILE holding a secret of at least {MIN_TOKEN_LENGTH} "
                "characters that only its users know (or leave out --host to stay on this "
                "machine)",
            )
        return new_token()
    path = Path(token_file)
    if not path.is_file():
        raise InputError(
            f"token file not found: {path}",
            where="stigma-outcomes app --token-file",
            fix="give the path of a text file holding the secret",
        )
    token = path.read_text(encoding="utf-8").strip()
    if len(token) < MIN_TOKEN_LENGTH or any(c.isspace() for c in token):
        raise InputError(
            f"the token in {path} is too short or has spaces",
            where="stigma-outcomes app --token-file",
            fix=f"write one secret of at least {MIN_TOKEN_LENGTH} characters, no spaces "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))')",
        )
    return token


def address(host: str, port: int, token: str) -> str:
    """The address to open, with its token.

    Examples
    --------
    >>> address("127.0.0.1", 8765, "abc")
    'http://127.0.0.1:8765/?token=abc'
    """
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/?{urlencode({'token': token})}"


class TokenGate:
    """ASGI middleware: the token (query or cookie) on every request; an upload size limit.

    Parameters
    ----------
    app : ASGI application
        The Shiny app.
    token : str
        The secret every request must carry.
    max_upload : int
        Largest request body accepted on an upload, in bytes.
    """

    def __init__(self, app: Any, token: str, max_upload: int) -> None:
        self.app = app
        self.token = token
        self.max_upload = max_upload

    def allowed(self, scope: Scope) -> tuple[bool, bool]:
        """(token valid, given in the query): the query's token or else the cookie's."""
        query = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [""])[0]
        if query:
            return hmac.compare_digest(query.encode(), self.token.encode()), True
        cookie = SimpleCookie()
        for name, value in scope.get("headers", []):
            if name == b"cookie":
                cookie.load(value.decode("latin-1"))
        given = cookie[COOKIE].value if COOKIE in cookie else ""
        return bool(given) and hmac.compare_digest(given.encode(), self.token.encode()), False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        ok, in_query = self.allowed(scope)
        if not ok:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            await _plain(send, 403, FORBIDDEN)
            return
        if scope["type"] == "http" and in_query and scope.get("method") == "GET":
            # Swap the token in the address for a cookie, so it leaves the address bar and
            # the browser history (as Jupyter does).
            await _redirect_with_cookie(send, scope.get("path", "/"), self.token)
            return
        if (
            scope["type"] == "http"
            and scope.get("method") == "POST"
            and "/upload/" in str(scope.get("path", ""))
        ):
            await self._upload(scope, receive, send)
            return
        await self.app(scope, receive, _with_headers(send))

    async def _upload(self, scope: Scope, receive: Receive, send: Send) -> None:
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and int(length) > self.max_upload:
            await _plain(send, 413, too_large(int(length), self.max_upload))
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_upload:
                raise _TooLarge(seen)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge as big:
            if not started:
                await _plain(send, 413, too_large(big.size, self.max_upload))


class _TooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


FORBIDDEN = (
    "This workbench is private to the person who started it. Open the address printed in "
    "the terminal where 'stigma-outcomes app' runs (it ends with ?token=...)."
)


def too_large(size: int, limit: int) -> str:
    """The message an over-size upload gets (shown under the file box).

    Examples
    --------
    >>> too_large(80_000_000, 50_000_000).split(". ")[0]
    'The file is over the 50 MB upload limit (80.0 MB or more)'
    """
    return (
        f"The file is over the {limit / 1e6:g} MB upload limit ({size / 1e6:.1f} MB or "
        "more). Export only the responses, or restart the app with a larger --max-upload-mb."
    )


# The page may talk to this server only: no fonts, scripts, images or connections from anywhere
# else (Shiny ships its assets; the report's charts are data: URIs). Shiny needs inline scripts.
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; frame-src 'self' about:; frame-ancestors 'self'; form-action 'self'; "
    "base-uri 'self'"
)

_SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"cache-control", b"no-store"),
]


def _with_headers(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [h for h in message.get("headers", []) if h[0].lower() != b"cache-control"]
            message = {**message, "headers": headers + _SECURITY_HEADERS}
        await send(message)

    return wrapped


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *_SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _redirect_with_cookie(send: Send, path: str, token: str) -> None:
    cookie = f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
    await send(
        {
            "type": "http.response.start",
            "status": 303,
            "headers": [
                (b"location", (path or "/").encode("latin-1")),
                (b"set-cookie", cookie.encode("latin-1")),
                (b"content-length", b"0"),
                *_SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": b""})
