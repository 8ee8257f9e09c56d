"""``stigma-outcomes app``: the evaluator's workbench in the browser (extra ``[app]``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("app")(app_command)


def app_command(
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on (default: a free one).")
    ] = 0,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Only print the address; open no browser.")
    ] = False,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on. Anything but 127.0.0.1 (a shared machine) needs "
            "--token-file.",
        ),
    ] = "127.0.0.1",
    token_file: Annotated[
        Path | None,
        typer.Option("--token-file", help="File holding the secret every visitor must give."),
    ] = None,
    max_upload_mb: Annotated[
        float, typer.Option("--max-upload-mb", help="Largest upload accepted, in MB.")
    ] = 50,
) -> None:
    """Start the local browser workbench: exports to report without a terminal.

    The address, with its per-start token, is printed; files live in a private temporary
    folder removed when the app stops (Ctrl+C).
    """
    from ..app.security import token_for
    from ..errors import InputError

    token = token_for(host, token_file)  # refuses --host without a token file, first
    try:
        import shiny  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise InputError(
            "the workbench needs the optional [app] extra (Shiny for Python)",
            fix="pip install 'stigma-outcomes[app]'",
        ) from None
    from ..app.launch import serve

    serve(
        host=host,
        port=port,
        open_browser=not no_browser,
        token=token,
        max_upload_mb=max_upload_mb,
        echo=typer.echo,
    )
