"""Finding and loading instrument definitions: built-in, user folders, or a single file.

Search order: folders passed in (the CLI's ``--instruments-dir``), then the folders in the
``STIGMA_OUTCOMES_INSTRUMENTS`` environment variable (separated by ``os.pathsep``), then the
definitions shipped with the package. Two definitions may not share an id: a user who wants
to change a built-in definition copies it under a new id.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..errors import DefinitionError, InputError
from .checks import check_instrument
from .schema import Instrument

ENV_VAR = "STIGMA_OUTCOMES_INSTRUMENTS"


class _Loader(yaml.SafeLoader):
    """YAML 1.1 reads yes/no/on/off as booleans; a label such as 'No' must stay text."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def read_yaml(path: Path) -> Any:
    """Read a YAML file with booleans limited to true/false; errors name the file and line.

    The file is checked (a regular file of sensible size), decoded as exports are, and
    parsed with duplicate keys refused and aliases bounded (:mod:`stigma_outcomes._inputs`).
    """
    from .._inputs import load_yaml_text, read_text_file

    text = read_text_file(path, "YAML file")
    try:
        return load_yaml_text(text, str(path), _Loader)
    except InputError as exc:
        raise DefinitionError(exc.what, where=exc.where, fix=exc.fix) from None


def _field_path(loc: tuple[int | str, ...], data: Any) -> str:
    """Render a pydantic error location, naming list entries by their id where they have one."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int):
            label = f"[{key}]"
            if isinstance(node, list) and key < len(node):
                node = node[key]
                if isinstance(node, dict) and "id" in node:
                    label = f"[{key}] (id '{node['id']}')"
            parts.append(label)
        else:
            if isinstance(node, dict):
                node = node.get(key)
            parts.append(("." if parts else "") + str(key))
    return "".join(parts)


def _fix_for(error: dict[str, Any]) -> str:
    kind = error["type"]
    field = error["loc"][-1] if error["loc"] else "value"
    if kind == "missing":
        return f"add the required field '{field}'"
    if kind == "extra_forbidden":
        return f"remove '{field}' or correct its spelling (see instruments/schema.json)"
    if kind == "literal_error":
        return "use one of the allowed values listed above"
    return "correct the value (the schema is in instruments/schema.json)"


def parse_instrument(data: Any, source: str = "<definition>") -> Instrument:
    """Validate a definition given as a dict (e.g. parsed YAML) and cross-check it.

    Examples
    --------
    >>> from stigma_outcomes.instruments.registry import builtin_dir, read_yaml
    >>> inst = parse_instrument(read_yaml(builtin_dir() / "ucla3.yaml"), "ucla3.yaml")
    >>> inst.id, [s.id for s in inst.scales]
    ('ucla3', ['total'])
    """
    if not isinstance(data, dict):
        raise DefinitionError(
            "an instrument definition must be a mapping of fields (id, name, items, ...)",
            where=source,
            fix="start the file with 'id: <your_id>' and the other fields of SPEC §3",
        )
    try:
        instrument = Instrument.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        path = _field_path(tuple(first["loc"]), data)
        what = f"invalid field {path}: {first['msg']}"
        if len(errors) > 1:
            others = "; ".join(
                f"{_field_path(tuple(e['loc']), data)}: {e['msg']}" for e in errors[1:4]
            )
            what += f" (and {len(errors) - 1} more: {others})"
        raise DefinitionError(what, where=f"{source}: {path}", fix=_fix_for(first)) from None
    return check_instrument(instrument, source)


@lru_cache(maxsize=512)
def _load_file_cached(path: str, mtime_ns: int) -> Instrument:
    file = Path(path)
    instrument = parse_instrument(read_yaml(file), str(file))
    if instrument.id != file.stem:
        raise DefinitionError(
            f"the file name '{file.name}' does not match the definition's id '{instrument.id}'",
            where=str(file),
            fix=f"rename the file to '{instrument.id}{file.suffix}' or change its id",
        )
    return instrument


def load_instrument_file(path: str | os.PathLike[str]) -> Instrument:
    """Load and validate one definition file (cached until the file changes)."""
    file = Path(path)
    if not file.is_file():
        raise InputError(f"instrument file not found: {file}", fix="check the path")
    return _load_file_cached(str(file.resolve()), file.stat().st_mtime_ns)


def builtin_dir() -> Path:
    """Folder of the definitions shipped with the package (or the repository's, in development)."""
    packaged = Path(str(resources.files("stigma_outcomes"))) / "_builtin_instruments"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "instruments"


def _definition_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _is_path(text: str) -> bool:
    """An instrument reference that names a definition file rather than a registry id."""
    return text.endswith((".yaml", ".yml")) or os.sep in text or "/" in text


def instrument_id(ref: str | os.PathLike[str] | Instrument) -> str:
    """The id an instrument reference stands for: an id as given, a definition file's own id.

    Examples
    --------
    >>> instrument_id("ucla3"), instrument_id(builtin_dir() / "gbs.yaml")
    ('ucla3', 'gbs')
    """
    if isinstance(ref, Instrument):
        return ref.id
    return load_instrument_file(ref).id if _is_path(str(ref)) else str(ref)


class Registry:
    """The instrument definitions available to one analysis.

    Parameters
    ----------
    dirs : iterable of path, optional
        User folders of definitions, searched before the environment variable's folders and
        the built-in definitions.
    include_builtin : bool, default True
        Whether to include the definitions shipped with the package.

    Examples
    --------
    >>> reg = Registry()
    >>> reg.get("ucla3").short_name
    'UCLA-3'
    """

    def __init__(
        self, dirs: Iterable[str | os.PathLike[str]] | None = None, include_builtin: bool = True
    ) -> None:
        folders = [Path(d) for d in (dirs or [])]
        env = os.environ.get(ENV_VAR, "")
        folders += [Path(p) for p in env.split(os.pathsep) if p.strip()]
        for folder in folders:
            if not folder.is_dir():
                raise InputError(
                    f"instruments folder not found: {folder}",
                    fix=f"check --instruments-dir and the {ENV_VAR} environment variable",
                )
        if include_builtin:
            folders.append(builtin_dir())
        self.dirs = folders
        self._files: dict[str, Path] = {}
        # definitions handed to resolve() as objects (e.g. a ScoreResult's), known by their id
        self._given: dict[str, Instrument] = {}
        for folder in folders:
            for file in _definition_files(folder):
                if file.stem in self._files:
                    raise DefinitionError(
                        f"two definitions share the id '{file.stem}'",
                        where=f"{self._files[file.stem]} and {file}",
                        fix="give your own definition a different id (and file name)",
                    )
                self._files[file.stem] = file

    @property
    def ids(self) -> list[str]:
        """Ids of every definition found, sorted."""
        return sorted({*self._files, *self._given})

    def path(self, instrument_id: str) -> Path:
        """The file a definition was loaded from."""
        self.get(instrument_id)
        if instrument_id not in self._files:
            raise InputError(
                f"instrument '{instrument_id}' was given as a definition, not read from a file",
                fix="save the definition as YAML to have a file to point to",
            )
        return self._files[instrument_id]

    def get(self, id_or_path: str | os.PathLike[str]) -> Instrument:
        """Load one definition by id, or from a path to a YAML file."""
        text = str(id_or_path)
        if _is_path(text):
            return load_instrument_file(text)
        if text in self._given:
            return self._given[text]
        if text not in self._files:
            close = difflib.get_close_matches(text.lower(), self.ids, n=3, cutoff=0.5)
            hint = f"did you mean {', '.join(repr(c) for c in close)}? " if close else ""
            raise InputError(
                f"unknown instrument '{text}'",
                fix=f"{hint}'stigma-outcomes instruments list' shows the {len(self.ids)} "
                "available; a path to a YAML definition also works",
            )
        return load_instrument_file(self._files[text])

    def resolve(
        self,
        refs: Iterable[str | os.PathLike[str] | Instrument],
        base: str | os.PathLike[str] | None = None,
    ) -> list[Instrument]:
        """Turn ids, definition paths and definitions into definitions, once, in order.

        Every later stage is handed these objects, so an instrument named by its file is
        scored, compared and reported under the id its definition declares.

        Parameters
        ----------
        refs : iterable of str, path or Instrument
            Registry ids (``"ucla3"``), paths of YAML definitions, or definitions already loaded.
        base : path, optional
            Folder that relative definition paths are read from (e.g. the evaluation file's);
            the working directory when omitted.

        Examples
        --------
        >>> [i.id for i in Registry().resolve(["ucla3", "ucla3", "gbs"])]
        ['ucla3', 'gbs']
        """
        found: dict[str, Instrument] = {}
        for ref in refs:
            if isinstance(ref, Instrument):
                inst = ref
                if inst.id not in self._files:
                    self._given.setdefault(inst.id, inst)
            elif base is not None and _is_path(str(ref)) and not Path(ref).is_absolute():
                inst = self.get(Path(base) / ref)
                self._files.setdefault(inst.id, Path(base) / ref)
            else:
                inst = self.get(ref)
                if _is_path(str(ref)):
                    self._files.setdefault(inst.id, Path(ref))
            found.setdefault(inst.id, inst)
        # A definition named by its file is now known here by its id too, so a stage handed
        # this registry (the comparison's scale facts) finds it.
        return list(found.values())

    def all(self) -> list[Instrument]:
        """Every definition found, loaded and validated, sorted by id."""
        return [self.get(i) for i in self.ids]


def load_instrument(
    id_or_path: str | os.PathLike[str], dirs: Iterable[str | os.PathLike[str]] | None = None
) -> Instrument:
    """Load a validated instrument definition by id or from a YAML file.

    Parameters
    ----------
    id_or_path : str or path
        A registry id such as ``"ucla3"``, or the path of a definition file.
    dirs : iterable of path, optional
        Extra folders of user definitions.

    Examples
    --------
    >>> ucla = load_instrument("ucla3")
    >>> ucla.scale("total").range
    (3, 9)
    """
    return Registry(dirs).get(id_or_path)


def list_instruments(dirs: Iterable[str | os.PathLike[str]] | None = None) -> list[Instrument]:
    """All available instrument definitions, sorted by id.

    Examples
    --------
    >>> "ismi29" in [i.id for i in list_instruments()]
    True
    """
    return Registry(dirs).all()
