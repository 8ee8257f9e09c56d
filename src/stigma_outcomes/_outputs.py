"""All-or-nothing output sets, output-path checks and clean errors for file-system faults.

A run writes several files that belong together (scores, ledger, results, reports). Each
file on its own is atomic (:func:`stigma_outcomes._io.write_atomic`); inside
:func:`all_or_nothing` the *set* is too: every file is first written into a temporary
folder beside its target, and only when the whole run has succeeded are they moved into
place, one quick rename each, with SIGINT/SIGTERM held back while they move. On any
failure — a bad input found late, a full disk, Ctrl-C — the temporary folder is removed,
the previous run's files are untouched, and the error carries a note saying so.

A leaf module: it imports nothing from the pipeline but :mod:`stigma_outcomes.errors`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._digest import file_sha256
from ._signals import signals_held
from ._syncs import Syncs
from .errors import InputError, OutputError

if TYPE_CHECKING:
    from concurrent.futures import Future

NOTHING_WRITTEN = (
    "nothing of this run was written: no new output is left behind and the previous "
    "outputs are untouched"
)

_FIXES = {
    errno.ENOSPC: "free some disk space (or choose a folder on another disk) and run again",
    errno.EFBIG: "the file-size limit was reached: raise it (ulimit -f) or free space",
    errno.EDQUOT: "your disk quota is full: free some space and run again",
    errno.EACCES: "check you may write to this folder, or choose another one",
    errno.EPERM: "check you may write to this folder, or choose another one",
    errno.EROFS: "the disk is read-only: choose a folder on a writable disk",
    errno.EISDIR: "the path is a folder: give a file name",
    errno.ENOTDIR: "a part of the path is a file, not a folder: check the path",
    errno.ELOOP: "the path goes round a loop of symbolic links: check the path",
    errno.ENAMETOOLONG: "the path is too long: choose a shorter one",
}


def output_error(err: OSError, target: str | os.PathLike[str]) -> OutputError:
    """An :class:`OutputError` (what, where, fix) for a file-system error while writing.

    Examples
    --------
    >>> import errno
    >>> print(output_error(OSError(errno.ENOSPC, "No space left on device"), "out/x.csv"))
    cannot write out/x.csv: No space left on device
      where: out/x.csv
      how to fix: free some disk space (or choose a folder on another disk) and run again
    """
    reason = err.strerror or str(err)
    return OutputError(
        f"cannot write {target}: {reason}",
        where=str(target),
        fix=_FIXES.get(err.errno or 0, "check the output path and the disk, then run again"),
    )


def public_mode() -> int:
    """File mode for outputs meant for others: 0666 less the user's umask.

    Examples
    --------
    >>> public_mode() & 0o111
    0
    """
    with _UMASK_LOCK:
        mask = os.umask(0o077)
        os.umask(mask)
    return 0o666 & ~mask


_UMASK_LOCK = threading.Lock()
PRIVATE_MODE = 0o600
"""Evaluator-only files (scores, ledger, alerts, keyed items): the owner alone reads them."""


def _absolute(path: str | os.PathLike[str]) -> Path:
    return Path(os.path.abspath(os.fspath(path)))


def _resolved(path: Path, label: str) -> Path:
    try:
        return path.resolve()
    except (RuntimeError, OSError) as err:  # RuntimeError: a symlink loop (Python < 3.13)
        raise OutputError(
            f"cannot use the path of {label}: {getattr(err, 'strerror', None) or err}",
            where=str(path),
            fix="check the path (a loop of symbolic links?)",
        ) from None


def check_output_paths(
    outputs: Mapping[str, str | os.PathLike[str] | None],
    inputs: Iterable[str | os.PathLike[str] | None] = (),
) -> None:
    """Refuse outputs that would overwrite an input, each other, or a folder.

    Parameters
    ----------
    outputs : mapping
        Label (e.g. ``"--out"``) → output path; ``None`` entries are ignored.
    inputs : iterable of path
        Every file the command reads.

    Raises
    ------
    InputError
        An output is one of the inputs, two outputs are the same file, or an output
        path is an existing folder.

    Examples
    --------
    >>> check_output_paths({"--out": "a.csv", "--ledger": "a.csv"})
    Traceback (most recent call last):
    ...
    stigma_outcomes.errors.InputError: --out and --ledger are the same file: a.csv
    ...
    """
    seen: dict[Path, str] = {}
    ins = []
    for p in inputs:
        if p is not None:
            ins.append(_resolved(_absolute(p), "an input"))
    for label, value in outputs.items():
        if value is None:
            continue
        path = _resolved(_absolute(value), label)
        if path.is_dir():
            raise InputError(
                f"{label} is a folder, not a file: {value}",
                where=str(value),
                fix=f"give {label} a file name",
            )
        for source in ins:
            same = path == source
            if not same and path.exists() and source.exists():
                same = os.path.samefile(path, source)
            if same:
                raise InputError(
                    f"{label} would overwrite one of the inputs: {value}",
                    where=str(value),
                    fix="write the output to another file; inputs are never modified",
                )
        if path in seen:
            raise InputError(
                f"{seen[path]} and {label} are the same file: {value}",
                where=str(value),
                fix="give each output its own file name",
            )
        seen[path] = label


class Abandoned(Exception):
    """A background write stopped because its run failed (never the run's own error)."""


class OutputSet:
    """The files of one run, staged in temporary folders until :meth:`commit`."""

    def __init__(self) -> None:
        self.staged: dict[Path, tuple[Path, bool]] = {}
        self._folders: dict[Path, Path] = {}
        self._created: list[Path] = []
        self._digests: dict[Path, str] = {}
        self._closed = False
        self._abandoned = threading.Event()
        self.stale: list[Path] = []
        self._syncs = Syncs(output_error)

    def check_abandoned(self) -> None:
        """Raise :class:`Abandoned` once the block that made this set has failed: a long
        write on a second thread calls this between its parts, so that a failed run (or
        Ctrl-C) does not wait seconds for a file that will be thrown away."""
        if self._abandoned.is_set():
            raise Abandoned("the run failed; this output is not written")

    def staging_file(self, target: str | os.PathLike[str], private: bool) -> Path:
        """Where ``target`` is written until the set is committed."""
        path = _absolute(target)
        if path in self.staged:
            raise InputError(
                f"two outputs of this run are the same file: {target}",
                where=str(target),
                fix="give each output its own file name",
            )
        if path.is_dir():
            raise InputError(
                f"the output is a folder, not a file: {target}",
                where=str(target),
                fix="give a file name",
            )
        staged = self.staging_folder(path.parent) / path.name
        self.staged[path] = (staged, private)
        return staged

    def flush_soon(self, staged: Path, target: str | os.PathLike[str]) -> None:
        """Start putting a closed staged file on the disk (:mod:`._syncs`); :meth:`commit`
        waits for it before anything moves into place."""
        self._syncs.start(staged, str(target))

    def staging_folder(self, folder: str | os.PathLike[str]) -> Path:
        """The temporary folder that stages the outputs bound for ``folder`` (made once).

        A run that writes from a second thread makes it first, on the main thread: only
        there do held signals keep a SIGTERM from leaving a folder nobody removes.
        """
        parent = _absolute(folder)
        staging = self._folders.get(parent)
        if staging is None:
            if self._closed:
                # a writer still running when the set was committed or abandoned: it must
                # not start a staging folder that nothing would remove
                raise OutputError(
                    "this run's outputs were already closed",
                    where=str(parent),
                    fix="nothing to do: the run had ended before this file was written",
                )
            # Held signals: a SIGTERM between making the folder and recording it would leave
            # a staging folder nobody removes.
            with signals_held():
                try:
                    missing = [d for d in (parent, *parent.parents) if not d.exists()]
                    parent.mkdir(parents=True, exist_ok=True)
                    self._created += missing
                    staging = Path(
                        tempfile.mkdtemp(prefix=".stigma-outcomes-", suffix=".part", dir=parent)
                    )
                except OSError as err:
                    raise output_error(err, parent) from None
                self._folders[parent] = staging
        return staging

    def hash_staged(self, target: str | os.PathLike[str]) -> str:
        """SHA-256 of one staged file, kept for :meth:`sha256` (so it can be taken early, on
        another thread: hashlib lets go of the GIL for large blocks)."""
        path = _absolute(target)
        self._digests[path] = file_sha256(self.staged[path][0], between=self.check_abandoned)
        return self._digests[path]

    def sha256(self) -> dict[Path, str]:
        """SHA-256 of each staged file, by its final path."""
        return {
            target: self._digests.get(target) or self.hash_staged(target)
            for target in sorted(self.staged)
        }

    @contextlib.contextmanager
    def beside(self, folder: str | os.PathLike[str]) -> Iterator[Callable[..., Future]]:
        """Jobs on a second thread, writing into this set, while the block runs.

        ``with outputs.beside(folder) as submit: submit(job, *args)`` runs ``job(*args)`` on
        one worker thread that sees this set (the job's context is copied), so a large file
        is written while the main thread goes on; it returns the job's ``Future``, jobs run
        in the order they were submitted. The staging folder for ``folder`` is made
        first, on the calling thread (see :meth:`staging_folder`). The block may take back a
        job not yet begun (``future.cancel()``). Leaving the block waits for every other
        job: a job's error is raised, unless the block raised one of its own, which then
        carries the job's as a note. The block must not change what a job reads.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from stigma_outcomes._io import write_text_atomic
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> with all_or_nothing() as outputs:
        ...     with outputs.beside(d) as submit:
        ...         _ = submit(write_text_atomic, d / "big.txt", "written on the worker")
        ...         _ = write_text_atomic(d / "small.txt", "written here")
        >>> sorted(p.name for p in d.iterdir())
        ['big.txt', 'small.txt']
        """
        import contextvars
        from concurrent.futures import ThreadPoolExecutor

        self.staging_folder(folder)
        jobs: list[Any] = []
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="stigma-outcomes-write") as pool:

            def submit(job: Callable[..., Any], *args: Any) -> Future:
                # Held signals: a SIGTERM raised between queueing the job and recording it
                # would leave the block without waiting for a job that writes on.
                with signals_held():
                    jobs.append(pool.submit(contextvars.copy_context().run, job, *args))
                return jobs[-1]

            try:
                yield submit
            except BaseException as err:
                self._abandoned.set()  # a job still writing stops at its next part
                for job in jobs:
                    failure = None if job.cancelled() else job.exception()
                    if failure is not None and not isinstance(failure, Abandoned):
                        err.add_note(f"also, while writing in the background: {failure}")
                raise
            for job in jobs:
                if not job.cancelled():  # a job the block took back (and did itself)
                    job.result()

    def remove_on_commit(self, paths: Iterable[Path]) -> None:
        """Files of the previous set that the new set does not replace (removed at commit)."""
        self.stale += [p for p in map(_absolute, paths) if p not in self.staged]

    def commit(self) -> None:
        """Move every staged file into place (modes set first) and remove stale ones."""
        mode_public = public_mode()
        with signals_held():
            done = 0
            try:
                self._syncs.wait()  # every staged file on the disk before any moves
                for target, (staged, private) in self.staged.items():
                    os.chmod(staged, PRIVATE_MODE if private else mode_public)
                    os.replace(staged, target)
                    done += 1
                for old in self.stale:
                    with contextlib.suppress(FileNotFoundError):
                        old.unlink()
            except OSError as err:
                error = output_error(err, err.filename or "the output folder")
                error.add_note(f"{done} of {len(self.staged)} outputs were replaced before this")
                raise error from None
            finally:
                self.abort()

    def abort(self) -> None:
        """Remove the temporary folders and everything in them; the set takes no more files."""
        self._closed = True
        self._syncs.close()
        for folder in self._folders.values():
            shutil.rmtree(folder, ignore_errors=True)
        self._folders.clear()

    def _remove_created_folders(self) -> None:
        """After a failure, remove the (now empty) folders this run created."""
        for folder in self._created:  # deepest first
            with contextlib.suppress(OSError):
                folder.rmdir()


ACTIVE: ContextVar[OutputSet | None] = ContextVar("stigma_outcomes_output_set", default=None)
"""The output set files are staged into, while :func:`all_or_nothing` runs."""


@contextlib.contextmanager
def all_or_nothing() -> Iterator[OutputSet]:
    """Stage every file written inside the block; move them into place only on success.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from stigma_outcomes._io import write_text_atomic
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> try:
    ...     with all_or_nothing():
    ...         _ = write_text_atomic(d / "a.txt", "a")
    ...         raise ValueError("the report failed")
    ... except ValueError:
    ...     pass
    >>> sorted(p.name for p in d.iterdir())
    []
    >>> with all_or_nothing():
    ...     _ = write_text_atomic(d / "a.txt", "a")
    >>> sorted(p.name for p in d.iterdir())
    ['a.txt']
    """
    outputs = OutputSet()
    token = ACTIVE.set(outputs)
    try:
        yield outputs
    except BaseException as err:
        outputs.abort()
        outputs._remove_created_folders()
        if NOTHING_WRITTEN not in getattr(err, "__notes__", ()):
            err.add_note(NOTHING_WRITTEN)
        raise
    finally:
        ACTIVE.reset(token)
    outputs.commit()
