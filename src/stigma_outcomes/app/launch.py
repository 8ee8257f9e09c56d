"""Start the workbench: private folder, token, server on 127.0.0.1, address printed, clean-up.

Shiny, uvicorn and the pipeline are imported here, when the app starts, not when the command
line loads.
"""

from __future__ import annotations

import shutil
import socket
import tempfile
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import InputError
from .security import TokenGate, address, token_for


def build_app(private: Path, token: str, max_upload: int) -> Any:
    """The ASGI application: the Shiny app behind the token gate."""
    from shiny import App

    from .server import make_server
    from .ui import page

    return TokenGate(App(page(), make_server(private, max_upload)), token, max_upload)


def _socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        raise InputError(
            f"cannot listen on {host}:{port} ({err.strerror})",
            where="stigma-outcomes app --port",
            fix="choose another port with --port N, or leave --port out to take a free one",
        ) from None
    sock.listen(128)
    return sock


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    open_browser: bool = True,
    token: str | None = None,
    max_upload_mb: float = 50,
    echo: Callable[[str], None] = print,
) -> None:
    """Run the workbench until Ctrl+C; remove its private folder when it stops.

    Parameters
    ----------
    host : str
        Address to listen on; anything but this machine needs ``token_file``.
    port : int
        Port; 0 takes a free one.
    open_browser : bool
        Open the address in the default browser once the server is up.
    token : str, optional
        The secret to require (from ``--token-file``, checked by
        :func:`~stigma_outcomes.app.security.token_for`); random when not given.
    max_upload_mb : float
        Largest upload accepted, in megabytes.
    echo : callable
        Where the address and notes are printed.
    """
    import uvicorn

    token = token or token_for(host, None)
    max_upload = int(max_upload_mb * 1_000_000)
    private = Path(tempfile.mkdtemp(prefix="stigma-outcomes-app-"))  # mode 0700
    uploads = private / "uploads"
    uploads.mkdir()
    # Shiny keeps uploads in tempfile's folder: point it inside the private folder.
    tempfile.tempdir = str(uploads)
    try:
        sock = _socket(host, port)
        url = address(host, sock.getsockname()[1], token)
        app = build_app(private, token, max_upload)
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        server = uvicorn.Server(config)
        echo("stigma-outcomes workbench (private to this session; Ctrl+C stops it)")
        echo(f"open: {url}")
        echo(f"files are kept in {private} and removed when it stops")
        if open_browser:
            threading.Timer(1.0, webbrowser.open, args=(url,)).start()
        server.run(sockets=[sock])
    finally:
        tempfile.tempdir = None
        shutil.rmtree(private, ignore_errors=False)
        echo("stopped; temporary files removed")
