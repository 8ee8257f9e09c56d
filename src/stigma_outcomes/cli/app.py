"""The ``stigma-outcomes`` command line: a thin typer shell over the public API.

Each command group lives in its own module with a ``register(app)`` function. Command
modules import only typer and light helpers at import time; the heavy pipeline is
imported inside each command, so ``stigma-outcomes --help`` starts instantly.
"""

from __future__ import annotations

import importlib
from collections.abc import MutableMapping

import typer
from typer.core import TyperGroup

from .._version import __version__
from ..errors import StigmaOutcomesError
from ._entry import resume_collector


class _UserErrorGroup(TyperGroup):
    """Turns user errors, file-system faults and interrupts into one message and an exit code.

    * :class:`StigmaOutcomesError` (bad input, an output that cannot be written): exit 2;
    * an ``OSError`` not already explained (a file vanished while read, a disk error): exit 2;
    * Ctrl-C (SIGINT): exit 130; SIGTERM: exit 143 — after the run's staged files are
      removed, so an interrupted run leaves nothing behind.
    """

    def invoke(self, ctx: typer.Context) -> object:
        resume_collector()  # held off by the console script while the command line loaded
        try:
            return super().invoke(ctx)
        except StigmaOutcomesError as err:
            typer.echo(f"error: {err}", err=True)
            _notes(err)
            ctx.exit(err.exit_code)
        except Terminated as err:
            typer.echo("terminated.", err=True)
            _notes(err)
            ctx.exit(143)
        except KeyboardInterrupt as err:
            typer.echo("interrupted.", err=True)
            _notes(err)
            ctx.exit(130)
        except OSError as err:
            where = f"\n  where: {err.filename}" if err.filename else ""
            typer.echo(
                f"error: {err.strerror or err}{where}\n"
                "  how to fix: check the file, the disk and the permissions, then run again",
                err=True,
            )
            _notes(err)
            ctx.exit(2)
        return None


class Terminated(KeyboardInterrupt):
    """Raised by the SIGTERM handler, so a terminated run cleans up like an interrupted one."""


def _notes(err: BaseException) -> None:
    for note in getattr(err, "__notes__", ()):
        typer.echo(f"  note: {note}", err=True)


def _on_sigterm(_signum: int, _frame: object) -> None:
    raise Terminated


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


def _only_the_command(whole: typer.Typer, first: list[str]) -> typer.Typer:
    """The app with only the command being run registered.

    Before it runs one command, typer builds every registered command's parameters (a
    pydantic adapter for each): 25-30 ms of every run, spent before ``score`` can start
    parsing its export. When the first argument names a command or group, the app is
    copied with that one alone; anything else (``--help``, ``--version``, a mistyped
    command) goes to the whole app, which lists what exists.

    Examples
    --------
    >>> [c.name for c in _only_the_command(app, ["score"]).registered_commands]
    ['score']
    >>> _only_the_command(app, ["--help"]) is app
    True
    """
    if not first:
        return whole
    commands = [c for c in whole.registered_commands if c.name == first[0]]
    groups = [g for g in whole.registered_groups if g.name == first[0]]
    if not commands and not groups:
        return whole
    import copy

    only = copy.copy(whole)
    only.registered_commands, only.registered_groups = commands, groups
    return only


def _note_old_names() -> None:
    """Say on standard error when a file or option uses a setting's old name.

    Python hides a DeprecationWarning raised outside ``__main__``, so a user whose evaluation
    or mapping file still says ``id_column`` would never hear that it is going; the command
    line prints each such warning once, as a one-line note.
    """
    import warnings

    shown = warnings.showwarning

    from ..errors import OldNameWarning

    def note(message, category, filename, lineno, file=None, line=None):  # type: ignore[no-untyped-def]
        if issubclass(category, OldNameWarning):
            import sys

            print(f"note: {message}", file=sys.stderr)
            return
        shown(message, category, filename, lineno, file, line)

    warnings.filterwarnings("default", category=OldNameWarning)
    warnings.showwarning = note


_ORDINARY_PAGES = {"NUMPY_MADVISE_HUGEPAGE": "0", "MIMALLOC_ARENA_EAGER_COMMIT": "0"}
"""Settings, read when numpy and Arrow load, that keep them from asking the kernel for
transparent huge pages: numpy does for every array of 4 MiB or more, and Arrow's allocator
(mimalloc) for its 1 GiB arena, which it commits at once. Where the kernel grants them on
request and has free memory (after a large process has ended, say), each first touch of a
2 MiB page is zeroed whole: ``score`` of 200,000 × 60 run after R's took 1.32–1.54 s with
them and 1.19 s without (5 alternating runs each), and ``run`` at 1M rows 11.97 s against
11.63 s with the same peak (3 pairs; issue 15). Set before anything imports numpy; a value
the user set is kept."""


def _ordinary_pages(environ: MutableMapping[str, str]) -> None:
    """The settings of :data:`_ORDINARY_PAGES`, where the user has not set them.

    Examples
    --------
    >>> env = {"NUMPY_MADVISE_HUGEPAGE": "1"}
    >>> _ordinary_pages(env)
    >>> env == {"NUMPY_MADVISE_HUGEPAGE": "1", "MIMALLOC_ARENA_EAGER_COMMIT": "0"}
    True
    """
    for name, value in _ORDINARY_PAGES.items():
        environ.setdefault(name, value)


def main() -> None:
    """Console-script entry point.

    Every output is written and closed (atomically) before a command returns, so the
    process then leaves at once: tearing down the ~1,500 modules a report run imports
    (pandas, matplotlib, typst) would add about 0.3 s to every command for nothing.
    Exit handlers still run, so temporary files are removed as usual.
    """
    import atexit
    import os
    import signal
    import sys

    _ordinary_pages(os.environ)
    signal.signal(signal.SIGTERM, _on_sigterm)
    _note_old_names()
    try:
        _only_the_command(app, sys.argv[1:2])()
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
