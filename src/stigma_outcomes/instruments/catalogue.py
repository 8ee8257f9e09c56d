"""The instrument catalogue: a summary of every built-in definition, rendered as Markdown.

``instruments/README.md`` is generated from the definitions by this module, so the table a
reader sees can never drift from what the scoring engine uses. A test fails when the committed
file is stale; regenerate it with::

    python -m stigma_outcomes.instruments.catalogue

The same per-definition summary (:func:`verification_summary`) feeds ``instruments list``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from .registry import builtin_dir, load_instrument_file
from .schema import KNOWN_DOMAINS, ClinicalCutoff, Fact, Instrument, Scale, SourcedFact

REGENERATE = "python -m stigma_outcomes.instruments.catalogue"

# Facts that change a score must be verified before a definition ships (issue 6), so the
# summary only needs to report the status of the interpretive facts, plus any conversion table.
_FACT_NAMES = {
    "bands": "bands",
    "conversion": "conversion",
    "clinical_cutoff": "cut-off",
    "alpha": "alpha",
    "test_retest": "test-retest",
    "norms": "norms",
    "mcid": "MCID",
}
_STATUS_WORDS = {
    "verified": "verified",
    "single_source": "single source",
    "uncertain": "uncertain",
    "convention": "convention",
    "computed": "computed",
}
_STATUS_ORDER = list(_STATUS_WORDS)


def _weaker(current: str | None, status: str) -> str:
    if current is None or _STATUS_ORDER.index(status) > _STATUS_ORDER.index(current):
        return status
    return current


def sourced_facts(instrument: Instrument) -> list[SourcedFact]:
    """The per-fact entries of ``provenance.sources`` (plain-text sources are left out).

    Examples
    --------
    >>> from stigma_outcomes.instruments import load_instrument
    >>> [f.status for f in sourced_facts(load_instrument("core10"))][:2]
    ['verified', 'verified']
    """
    return [s for s in instrument.provenance.sources if isinstance(s, SourcedFact)]


def fact_statuses(instrument: Instrument) -> list[tuple[str, str]]:
    """Every fact of a definition with its verification status, in reading order.

    The facts named in ``provenance.sources`` come first, then the interpretive facts of each
    scale (bands, conversion, cut-off, reliability, norms, MCID), named by scale.

    Examples
    --------
    >>> from stigma_outcomes.instruments import load_instrument
    >>> ("bands (total)", "verified") in fact_statuses(load_instrument("phq9"))
    True
    >>> ("cut-off >= 2.5 (total_without_sr)", "single_source") in fact_statuses(
    ...     load_instrument("ismi29"))
    True
    """
    rows = [(f.fact, f.status) for f in sourced_facts(instrument)]
    for scale in instrument.scales:
        for kind, fact in _scale_facts(scale):
            name = _FACT_NAMES[kind]
            if isinstance(fact, ClinicalCutoff):
                # The operator decides whether the boundary itself is in the clinical range.
                name = f"{name} {fact.operator} {fact.value:g}"
            rows.append((f"{name} ({scale.id})", fact.status))
    return rows


def _facts(instrument: Instrument) -> Iterable[tuple[str, Fact]]:
    for scale in instrument.scales:
        yield from _scale_facts(scale)


def _scale_facts(scale: Scale) -> Iterable[tuple[str, Fact]]:
    if scale.bands is not None:
        yield "bands", scale.bands
    if scale.conversion is not None:
        yield "conversion", scale.conversion
    if scale.clinical_cutoff is not None:
        yield "clinical_cutoff", scale.clinical_cutoff
    if scale.reliability is not None:
        if scale.reliability.alpha is not None:
            yield "alpha", scale.reliability.alpha
        if scale.reliability.test_retest is not None:
            yield "test_retest", scale.reliability.test_retest
    for norm in scale.norms:
        yield "norms", norm
    if scale.mcid is not None:
        yield "mcid", scale.mcid


def verification_summary(instrument: Instrument) -> str:
    """One line saying how well each kind of fact in a definition is established.

    The scoring facts (those of ``provenance.sources`` that change a score) are summarised by
    their weakest status; definitions that list their sources as plain text shipped under
    the rule that every scoring fact is verified. The line then lists the interpretive facts
    (bands, cut-offs, reliability, norms, MCID) and any conversion table by their weakest
    status across scales.

    Examples
    --------
    >>> from stigma_outcomes.instruments import load_instrument
    >>> verification_summary(load_instrument("ucla3"))
    'scoring verified; bands convention; cut-off convention; alpha single source'
    """
    scoring: str | None = None
    for fact in sourced_facts(instrument):
        if fact.scoring:
            scoring = _weaker(scoring, fact.status)
    weakest: dict[str, str] = {}
    for kind, fact in _facts(instrument):
        weakest[kind] = _weaker(weakest.get(kind), fact.status)
    parts = [f"scoring {_STATUS_WORDS[scoring or 'verified']}"]
    parts += [f"{_FACT_NAMES[k]} {_STATUS_WORDS[weakest[k]]}" for k in _FACT_NAMES if k in weakest]
    return "; ".join(parts)


def builtin_instruments() -> list[Instrument]:
    """Every definition shipped with the package (user folders are not included).

    Examples
    --------
    >>> "phq9" in [i.id for i in builtin_instruments()]
    True
    """
    folder = builtin_dir()
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    return [load_instrument_file(p) for p in files]


def _domain_key(instrument: Instrument) -> tuple[int, str, str]:
    # documented domains in their order, then any domain of a user's own, by name
    known = list(KNOWN_DOMAINS)
    order = known.index(instrument.domain) if instrument.domain in known else len(known)
    return (order, instrument.domain, instrument.id)


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_catalogue(instruments: Iterable[Instrument]) -> str:
    """The Markdown text of ``instruments/README.md`` for these definitions.

    Examples
    --------
    >>> from stigma_outcomes.instruments import load_instrument
    >>> text = render_catalogue([load_instrument("ucla3")])
    >>> "| `ucla3` | UCLA-3" in text
    True
    """
    ordered = sorted(instruments, key=_domain_key)
    lines = [
        "# Instrument catalogue",
        "",
        f"<!-- Generated from the definitions by `{REGENERATE}`; do not edit by hand. -->",
        "",
        f"{len(ordered)} built-in definitions, grouped by domain. Item wording is never shipped:",
        "items carry this project's short labels, and `stigma-outcomes instruments export ID",
        "--format redcap --overlay FILE` adds the wording from your licensed copy. Check the",
        "license column before fielding an instrument. 'Scoring verified' means every fact that",
        "changes a score rests on two independent sources (see each file's `provenance.sources`);",
        "the rest of the column gives the weakest status of the interpretive facts.",
        "Instruments still missing facts are listed in [CANDIDATES.md](CANDIDATES.md).",
        "",
        "| id | short name | name | domain | items | scales | license | verification |",
        "| --- | --- | --- | --- | ---: | --- | --- | --- |",
    ]
    for inst in ordered:
        scales = ", ".join(s.id for s in inst.scales)
        lines.append(
            "| "
            + " | ".join(
                _cell(v)
                for v in (
                    f"`{inst.id}`",
                    inst.short_name,
                    inst.name,
                    inst.domain.replace("_", " "),
                    len(inst.items),
                    scales,
                    inst.provenance.license.status.replace("_", " "),
                    verification_summary(inst),
                )
            )
            + " |"
        )
    lines += [
        "",
        "## Verification per fact",
        "",
        "Each fact a definition rests on, with its status: verified (two independent sources),",
        "single source, uncertain, convention (widely used, not the authors' rule) or computed.",
        "Definitions that list their sources as plain text name only their interpretive facts",
        "here; their scoring facts were verified when they shipped. The sources themselves are in",
        "each file's `provenance.sources` and in `stigma-outcomes instruments show ID`.",
        "",
    ]
    for inst in ordered:
        facts = "; ".join(f"{fact} {_STATUS_WORDS[status]}" for fact, status in fact_statuses(inst))
        lines.append(f"- `{inst.id}`: {_cell(facts) or 'scoring verified'}")
    return "\n".join(lines) + "\n"


def catalogue_path() -> Path:
    """Where the catalogue lives: ``README.md`` beside the built-in definitions.

    Examples
    --------
    >>> catalogue_path().name
    'README.md'
    """
    return builtin_dir() / "README.md"


def write_catalogue(path: Path | None = None) -> Path:
    """Regenerate the catalogue file (atomically) and return its path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = write_catalogue(pathlib.Path(tempfile.mkdtemp()) / "README.md")
    >>> out.read_text(encoding="utf-8").startswith("# Instrument catalogue")
    True
    """
    from .._io import write_text_atomic

    return write_text_atomic(path or catalogue_path(), render_catalogue(builtin_instruments()))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: regenerate ``instruments/README.md`` (or the path given).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> main([str(pathlib.Path(tempfile.mkdtemp()) / "README.md")])  # doctest: +ELLIPSIS
    wrote ...README.md
    0
    """
    args = sys.argv[1:] if argv is None else argv
    target = write_catalogue(Path(args[0]) if args else None)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
