"""Errors a user can act on.

Every error raised for bad input (a broken definition, an unreadable export, a
mapping that does not fit) is a :class:`StigmaOutcomesError`. It carries three
parts so that the message always says *what* went wrong, *where*, and *how to
fix it*. The command line prints ``str(error)`` and exits with code 2; it never
shows a traceback for these.
"""

from __future__ import annotations


class StigmaOutcomesError(Exception):
    """A problem with the user's input, reported as what / where / how to fix.

    Parameters
    ----------
    what : str
        What is wrong, in one sentence.
    where : str, optional
        The file, field path, column or row it concerns.
    fix : str, optional
        What the user can do about it.

    Examples
    --------
    >>> err = StigmaOutcomesError("unknown instrument 'ucla'", fix="did you mean 'ucla3'?")
    >>> print(err)
    unknown instrument 'ucla'
      how to fix: did you mean 'ucla3'?
    """

    exit_code = 2

    def __init__(self, what: str, where: str | None = None, fix: str | None = None) -> None:
        self.what = what
        self.where = where
        self.fix = fix
        super().__init__(self.__str__())

    def __str__(self) -> str:
        lines = [self.what]
        if self.where:
            lines.append(f"  where: {self.where}")
        if self.fix:
            lines.append(f"  how to fix: {self.fix}")
        return "\n".join(lines)


class DefinitionError(StigmaOutcomesError):
    """An instrument definition (YAML) is invalid or inconsistent."""


class InputError(StigmaOutcomesError):
    """An export file, DataFrame or command-line value cannot be used as given."""


class MappingError(StigmaOutcomesError):
    """A column mapping does not bind instrument items to export columns correctly."""


class AnalysisError(StigmaOutcomesError):
    """An analysis was asked for that the data cannot support (e.g. a wave that does not exist)."""


class OutputError(StigmaOutcomesError):
    """An output cannot be written (full disk, read-only folder, permission denied, ...)."""
