"""The ``stigma-outcomes`` command line: a thin typer shell over the public API.

Each command group lives in its own module with a ``register(app)`` function. Command
modules import only typer and light helpers at import time; the heavy pipeline is
imported inside each command, so ``stigma-outcomes --help`` starts instantly.
"""

from __future__ import annotations

import importlib

import typer
from typer.core import TyperGroup

from .._version import __version__
from ..errors import StigmaOutcomesError


class _UserErrorGroup(TyperGroup):
    """Turns a :class:`StigmaOutcomesError` from any command into one message and exit code 2."""

    def invoke(self, ctx: typer.Context) -> object:
        try:
            return super().invoke(ctx)
        except StigmaOutcomesError as err:
            typer.echo(f"error: {err}", err=True)
            ctx.exit(err.exit_code)


app = typer.Typer(
    name="stigma-outcomes",
    cls=_UserErrorGroup,
    help="Score validated questionnaires, compare waves, and report outcomes you can defend.",
    no_args_is_help=True,
    # `--install-completion` / `--show-completion` for bash, zsh, fish and PowerShell
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    # Plain click help: rich's formatter alone takes longer to import than the whole CLI.
    rich_markup_mode=None,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"stigma-outcomes {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(
        False,
        "--version",
        "-V",
        help="Show the version and exit.",
        callback=_show_version,
        is_eager=True,
    ),
) -> None:
    """Score validated questionnaires, compare waves, and report outcomes you can defend."""


# One module per command group; each defines register(app). Add new groups here.
COMMAND_MODULES = [
    "instruments_cmd",
    "score_cmd",
    "compare_cmd",
    "pool_cmd",
    "report_cmd",
    "run_cmd",
    "demo_cmd",
    "init_cmd",
    "plan_cmd",
    "app_cmd",
]

for _name in COMMAND_MODULES:
    importlib.import_module(f"{__package__}.{_name}").register(app)


def main() -> None:
    """Console-script entry point.

    Every output is written and closed (atomically) before a command returns, so the
    process then leaves at once: tearing down the ~1,500 modules a report run imports
    (pandas, matplotlib, typst) would add about 0.3 s to every command for nothing.
    Exit handlers still run, so temporary files are removed as usual.
    """
    import atexit
    import os
    import sys

    try:
        app()
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        if isinstance(done.code, str):
            print(done.code, file=sys.stderr)
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_handlers is None:  # not CPython: leave the usual way
        sys.exit(code)
    run_exit_handlers()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
