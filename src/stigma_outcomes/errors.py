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


class UnknownNameError(InputError, KeyError):
    """A name (an item, a scale, an instrument, a wave) that is not among those known.

    It is also a :class:`KeyError`, so code that looked a name up with ``except KeyError``
    keeps working; its message names the close matches.

    Examples
    --------
    >>> print(UnknownNameError.among("scale", "totl", ["total", "belonging"], where="gbs"))
    unknown scale 'totl'
      where: gbs
      how to fix: did you mean 'total'? known: total, belonging
    """

    @classmethod
    def among(
        cls, kind: str, name: str, known: list[str], where: str | None = None
    ) -> UnknownNameError:
        """The error for ``name`` not in ``known``, suggesting the closest matches."""
        import difflib

        close = difflib.get_close_matches(str(name), [str(k) for k in known], n=3, cutoff=0.5)
        hint = f"did you mean {', '.join(repr(c) for c in close)}? " if close else ""
        shown = ", ".join(map(str, known[:20])) + (", …" if len(known) > 20 else "")
        return cls(f"unknown {kind} '{name}'", where=where, fix=f"{hint}known: {shown}")


class OldNameWarning(DeprecationWarning):
    """A setting, option or keyword was given by its old name; it still works but will go.

    Its own class, so the command line can say these (and only these) as one-line notes.
    """


def warn_old_name(old: str, new: str, stacklevel: int = 2) -> None:
    """Warn that ``old`` is the old name of ``new``, in the one wording every surface uses.

    ``stacklevel`` counts from the caller of this function (2: that caller's caller).
    """
    import warnings

    warnings.warn(
        f"'{old}' is the old name of '{new}'; it still works but will go",
        OldNameWarning,
        stacklevel=stacklevel + 1,
    )
