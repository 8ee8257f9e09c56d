"""The console script's entry: the garbage collector held off while the command line loads.

Importing typer and pydantic and building the command makes tens of thousands of objects
that live as long as the process and next to no garbage; the collector passed over them
~60 times before a command began (~13 ms of ``score``'s 0.7 s). It is held off from the
first line until the command is invoked (:func:`resume_collector`, called by the command
group), which freezes what was made meanwhile; it works as usual from there on.
"""

from __future__ import annotations

import gc

_held = False


def main() -> None:
    """``stigma-outcomes``: :func:`stigma_outcomes.cli.app.main`, the collector held off."""
    global _held
    if gc.isenabled():  # a caller that turned it off itself keeps it off
        gc.disable()
        _held = True
    from .app import main as run

    run()


def resume_collector() -> None:
    """Let the collector run again if :func:`main` held it off (once; idempotent). What
    was made meanwhile is frozen out of its passes first: enabled alone, its first pass went
    over every one of those objects (16 ms).

    Examples
    --------
    >>> import gc
    >>> resume_collector(); gc.isenabled()
    True
    """
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()
