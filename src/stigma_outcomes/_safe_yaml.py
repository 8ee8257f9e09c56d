"""Safe YAML: no Python objects, duplicate keys refused, alias expansion bounded.

:func:`load_yaml_text` parses a settings file's text with a ``yaml.SafeLoader`` subclass
that refuses a key given twice in one mapping and counts the values nested aliases stand for,
so that a small file cannot describe billions of them. Every failure is one
:class:`~stigma_outcomes.errors.InputError` naming the line. Reading the file itself (checks,
encoding) is :mod:`stigma_outcomes._inputs`, which re-exports this module's public names.

A leaf module: it imports nothing from the package but :mod:`stigma_outcomes.errors`.
"""

from __future__ import annotations

from typing import Any

from .errors import InputError

MAX_YAML_NODES = 200_000
"""Most YAML nodes a settings file may build once aliases are expanded (a 40 KB file of
nested aliases can otherwise describe billions)."""


def _bounded_loader(base: type) -> type:
    """A loader that reads as ``base`` (its resolvers and constructors) but refuses duplicate
    keys and alias bombs; parsed by libyaml when PyYAML has it.

    libyaml's parser and composer took a tenth of the time of PyYAML's own (a 60-item
    instrument definition: 1.7 ms, not 15 ms, on the path of every ``score``). It composes
    an alias as the same node object again, so a bomb is a small graph, counted with its
    aliases expanded before anything is constructed; it refuses nesting past 1,000 levels.
    """
    import yaml

    fast = getattr(yaml, "CSafeLoader", None)
    if fast is None:
        return _composing_loader(base)

    class Loader(_NoDuplicateKeys, fast):  # type: ignore[misc, valid-type]
        yaml_implicit_resolvers = base.yaml_implicit_resolvers
        yaml_path_resolvers = base.yaml_path_resolvers
        yaml_constructors = base.yaml_constructors
        yaml_multi_constructors = base.yaml_multi_constructors

        def get_single_data(self) -> Any:
            node = self.get_single_node()
            if node is None:
                return None
            if _size(node) > MAX_YAML_NODES:
                raise _too_many(node.start_mark)
            return self.construct_document(node)

    return Loader


def _too_many(mark: Any) -> Exception:
    import yaml

    return yaml.constructor.ConstructorError(
        None,
        None,
        f"the file expands to more than {MAX_YAML_NODES:,} values (nested aliases '*name')",
        mark,
    )


class _NoDuplicateKeys:
    """Refuses a key given twice in one mapping (YAML would keep the last silently)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        import yaml

        seen: dict[Any, Any] = {}
        if isinstance(node, yaml.MappingNode):
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)  # type: ignore[attr-defined]
                try:
                    hashable = hash(key) is not None
                except TypeError:
                    hashable = False
                if hashable and key in seen:
                    raise yaml.constructor.ConstructorError(
                        "while reading a mapping",
                        node.start_mark,
                        f"the key '{key}' appears twice (first on line "
                        f"{seen[key].line + 1}); only one can count",
                        key_node.start_mark,
                    )
                if hashable:
                    seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]


def _composing_loader(base: type) -> type:
    """Without libyaml: PyYAML's own parser, the aliases counted as they are composed."""
    import yaml

    class Loader(_NoDuplicateKeys, base):  # type: ignore[misc, valid-type]
        def __init__(self, stream: Any) -> None:
            super().__init__(stream)
            self._nodes = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                # Each alias re-uses a whole subtree: count what it stands for.
                event = self.peek_event()
                anchor = event.anchor
                if anchor in self.anchors:
                    self._nodes += _size(self.anchors[anchor])
                    self._check_size(event.start_mark)
            node = super().compose_node(parent, index)
            self._nodes += 1
            self._check_size(node.start_mark)
            return node

        def _check_size(self, mark: Any) -> None:
            if self._nodes > MAX_YAML_NODES:
                raise _too_many(mark)

    return Loader


def _size(node: Any) -> int:
    """Number of nodes under a composed YAML node (aliases count as their target)."""
    stack, count = [node], 0
    while stack:
        current = stack.pop()
        count += 1
        if count > MAX_YAML_NODES:
            return count
        value = current.value
        if isinstance(value, list):
            for entry in value:
                if isinstance(entry, tuple):
                    stack.extend(entry)
                else:
                    stack.append(entry)
    return count


_LOADERS: dict[type, type] = {}


def load_yaml_text(text: str, where: str, loader: type | None = None) -> Any:
    """Parse YAML safely: no Python objects, duplicate keys refused, aliases bounded.

    Parameters
    ----------
    text : str
        The YAML document.
    where : str
        The file name, for the message.
    loader : type, optional
        A ``yaml.SafeLoader`` subclass to build on (default: ``yaml.SafeLoader``).

    Raises
    ------
    InputError
        Invalid YAML, a key given twice in one mapping, or nested aliases that expand
        past :data:`MAX_YAML_NODES` values; the message names the line.

    Examples
    --------
    >>> load_yaml_text("a: 1\\nb: [x, y]", "e.yaml")
    {'a': 1, 'b': ['x', 'y']}
    >>> try:
    ...     load_yaml_text("id_col: a\\nid_col: b", "e.yaml")
    ... except InputError as err:
    ...     print(err.what)
    the file is not valid YAML: the key 'id_col' appears twice (first on line 1); ...
    """
    import yaml

    base = loader or yaml.SafeLoader
    if not issubclass(base, yaml.SafeLoader):
        raise TypeError("the YAML loader must derive from yaml.SafeLoader")
    bounded = _LOADERS.get(base)
    if bounded is None:
        bounded = _LOADERS[base] = _bounded_loader(base)
    try:
        return yaml.load(text, Loader=bounded)  # a SafeLoader subclass: no Python objects
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err)
        raise InputError(
            f"the file is not valid YAML: {problem}",
            where=f"{where}{line}",
            fix="check indentation, quoting and repeated keys near that line",
        ) from None
    except RecursionError:
        raise InputError(
            "the file is nested too deeply to read",
            where=where,
            fix="check the file is a settings file written by hand or by 'init'",
        ) from None
