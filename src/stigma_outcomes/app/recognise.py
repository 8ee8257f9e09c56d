"""What the app shows after an upload: per file, what was recognised; per instrument, a block.

The facts come from the same places as ``stigma-outcomes init``: the readers' ``RawTable``
(platform, layout, rows read and set aside, personal-data columns) and ``init``'s proposals
(:func:`stigma_outcomes.ingest.propose.propose`: what matched, how and why). Nothing here
decides for the user: a block whose only evidence is that the codes fall in the scale's range
starts unconfirmed, and the run uses confirmed blocks only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# A column with more distinct values than this is no grouping column (arm, site, cohort).
MAX_GROUP_VALUES = 30


@dataclass
class FileSummary:
    """What was recognised in one export, in the words the Exports step shows."""

    flavor: str
    flavor_reason: str
    layout: str
    rows_in: int
    rows_read: int
    set_aside: dict[str, int]
    id_col: str | None
    id_reason: str
    wave: str | None
    wave_col: str | None
    wave_reason: str
    waves_found: list[str]
    personal: dict[str, str]
    side_by_side: list[str] = field(default_factory=list)
    """The waves this file holds side by side (each wave's block in one row), in time order."""
    notes: list[str] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)
    other_columns: dict[str, list[str]] = field(default_factory=dict)
    plain_columns: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary as short lines of text (also used by the unit tests)."""
        out = [
            f"platform: {self.flavor} ({self.flavor_reason or 'no platform markers'})",
            f"layout: {self.layout}",
            f"rows read: {self.rows_read} of {self.rows_in}",
        ]
        out += [
            f"set aside: {n} row(s), {why.replace('_', ' ')}" for why, n in self.set_aside.items()
        ]
        if self.id_col:
            out.append(f"participant ID: {self.id_col} ({self.id_reason})")
        else:
            out.append("participant ID: not found")
        if self.wave_col:
            out.append(f"waves: column {self.wave_col}: {', '.join(self.waves_found)}")
        elif self.side_by_side:
            out.append(f"waves side by side in each row: {', '.join(self.side_by_side)}")
        else:
            out.append(f"wave: {self.wave} ({self.wave_reason})")
        if self.personal:
            out.append(f"personal data kept out: {', '.join(self.personal)}")
        return out


@dataclass
class Block:
    """One instrument found in the exports: the columns of its items in each file.

    ``target`` is the instrument the user says the block is (the proposal's by default);
    ``confirmed`` is the user's yes. ``entries`` maps a file name to its mapping entry.
    """

    instrument: str
    target: str
    how: str
    why: str
    entries: dict[str, dict[str, Any]]
    columns: dict[str, list[str]]
    recode: dict[str, float]
    confirmed: bool
    manual: bool = False
    guess: bool = False
    """Proposed by ``init`` as "possible, unconfirmed" (codes in range, no other evidence)."""
    waves: dict[str, str] = field(default_factory=dict)
    """Entry → wave, for the entries of a file holding its waves side by side: each is that
    wave's block (``wide.csv at pre``), mapped in the wave's section, not the file's."""

    @property
    def range_only(self) -> bool:
        """Whether the only evidence is that the codes fall in the scale's range.

        Columns named ``<instrument>_<item>`` are evidence in themselves (a REDCap project
        built from the instrument's data dictionary), whatever their codes.
        """
        # The reasons of a fit by the codes' range alone, as init's proposer words them.
        from ..ingest.propose import RANGE_ONLY

        return self.guess or (self.how != "name" and any(r in self.why for r in RANGE_ONLY))

    @property
    def n_items(self) -> int:
        return len(next(iter(self.columns.values()), []))


def summarise(table: Any, proposal: Any) -> FileSummary:
    """A :class:`FileSummary` from a ``RawTable`` and its ``init`` file proposal."""
    meta = table.metadata
    waves_found: list[str] = []
    if proposal.wave_col and proposal.wave_col in table.frame.columns:
        values = map(str, table.frame[proposal.wave_col].dropna().astype(str).unique())
        # In the order init compares them (baseline, post, later waves), then any others
        # in order of first appearance: the Design step proposes the first two.
        rank = {w: at for at, w in enumerate(proposal.wave_values)}
        waves_found = sorted(values, key=lambda w: rank.get(w, len(rank)))
    taken = {c for cand in proposal.matches.values() for c in cand.columns.values()}
    skip = taken | set(table.pii_columns) | {proposal.id_col, proposal.wave_col}
    others: dict[str, list[str]] = {}
    for column in map(str, table.frame.columns):
        if column in skip:
            continue
        values = table.frame[column].dropna().astype(str)
        distinct = values[values.str.strip() != ""].unique()
        if 1 <= len(distinct) <= MAX_GROUP_VALUES:
            others[column] = sorted(map(str, distinct))
    return FileSummary(
        flavor=table.flavor,
        flavor_reason=proposal.flavor_reason,
        layout=str(meta.get("layout_reason") or meta.get("layout") or "wide"),
        rows_in=int(table.rows_in or 0),
        rows_read=len(table.frame),
        set_aside=dict(proposal.excluded),
        id_col=proposal.id_col,
        id_reason=proposal.id_reason,
        wave=proposal.wave,
        wave_col=proposal.wave_col,
        wave_reason=proposal.wave_reason,
        waves_found=waves_found,
        personal=dict(proposal.pii),
        side_by_side=list(proposal.side_by_side),
        notes=list(proposal.notes),
        doubts=list(proposal.ambiguities),
        other_columns=others,
        plain_columns=[
            c for c in map(str, table.frame.columns) if c not in taken | set(table.pii_columns)
        ],
    )


def _entry(candidate: Any) -> dict[str, Any]:
    entry: dict[str, Any] = (
        {"pattern": candidate.pattern}
        if candidate.pattern
        else {"columns": dict(candidate.columns)}
    )
    if candidate.recode:
        entry["recode"] = dict(candidate.recode)
    return entry


def _candidates_of(proposal: Any) -> list[tuple[str, Any, bool]]:
    """Evidence-backed matches, then range-only guesses that no other guess shares columns with.

    Several instruments fitting the same columns by code range alone are no proposal at all:
    they are left to :func:`range_doubts` and the user's own block.
    """
    found = [(inst, cand, False) for inst, cand in proposal.matches.items()]
    shared = _shared_guesses(proposal)
    found += [(inst, cand, True) for inst, cand in proposal.possible.items() if inst not in shared]
    return found


def _found_in(proposal: Any) -> list[tuple[str, Any, bool, str | None]]:
    """Every block of a file: (instrument, candidate, range-only guess, wave). The wave is
    ``None`` except in a file holding its waves side by side: there each wave's block is its
    own entry, and an instrument found once goes under the first wave (as ``init`` drafts
    it; mapped for the whole file it would be scored at every wave from the same columns)."""
    waves = list(proposal.side_by_side)
    first = waves[0] if waves else None
    found = [(inst, cand, guess, first) for inst, cand, guess in _candidates_of(proposal)]
    found += [
        (inst, cand, False, wave)
        for inst, blocks in proposal.by_wave.items()
        for wave, cand in blocks.items()
    ]
    return found


def _shared_guesses(proposal: Any) -> dict[str, list[str]]:
    """Range-only guesses whose columns another guess claims too: instrument → the others."""
    possible = proposal.possible
    by_columns: dict[frozenset[str], list[str]] = {}
    for inst, cand in possible.items():
        by_columns.setdefault(frozenset(cand.columns.values()), []).append(inst)
    claims: dict[str, set[str]] = {}
    for inst, cand in possible.items():
        mine = set(cand.columns.values())
        for cols, others in by_columns.items():
            if mine & cols:
                claims.setdefault(inst, set()).update(o for o in others if o != inst)
    return {inst: sorted(others) for inst, others in claims.items() if others}


def range_doubts(files: Sequence[Any]) -> list[str]:
    """One open question per set of columns that several instruments fit by code range alone."""
    doubts: list[str] = []
    for f in files:
        seen: set[frozenset[str]] = set()
        for inst, others in _shared_guesses(f).items():
            who = frozenset([inst, *others])
            if who in seen:
                continue
            seen.add(who)
            doubts.append(
                f"{f.source}: the same columns fit {', '.join(sorted(who))} equally well by "
                "their codes alone; add the block by hand if one of them is right"
            )
    return doubts


def blocks_from(files: Sequence[Any], previous: Sequence[Block] = ()) -> list[Block]:
    """One :class:`Block` per instrument proposed in any file, keeping earlier answers.

    A block the user already confirmed, re-targeted or recoded keeps those answers when the
    exports are read again (e.g. after another file is added).
    """
    kept = {b.instrument: b for b in previous}
    blocks: dict[str, Block] = {}
    for f in files:
        for inst, cand, guess, wave in _found_in(f):
            block = blocks.get(inst)
            if block is None:
                block = blocks[inst] = Block(
                    instrument=inst,
                    target=inst,
                    how=cand.how,
                    why=cand.why,
                    entries={},
                    columns={},
                    recode=dict(cand.recode),
                    confirmed=False,
                    guess=guess,
                )
            elif cand.why != block.why and cand.why not in block.why:
                block.why = f"{block.why}; {f.source}: {cand.why}"
            key = f.source if wave is None else f"{f.source} at {wave}"
            block.entries[key] = _entry(cand)
            block.columns[key] = list(cand.columns.values())
            if wave is not None:
                block.waves[key] = wave
    for inst, block in blocks.items():
        before = kept.get(inst)
        if before is not None:
            block.target, block.confirmed, block.recode = (
                before.target,
                before.confirmed,
                before.recode,
            )
        else:
            # Evidence from names or answer labels is shown ticked; range-only guesses are not.
            block.confirmed = not block.range_only
    manual = [b for b in previous if b.manual and b.instrument not in blocks]
    return [*blocks.values(), *manual]


def parse_recode(text: str) -> dict[str, float]:
    """Read a recode typed as ``0=1, 1=2, 2=3`` (export code = scale code).

    Examples
    --------
    >>> parse_recode("0=1, 1=2,2 = 3")
    {'0': 1.0, '1': 2.0, '2': 3.0}
    >>> parse_recode("")
    {}
    """
    from ..errors import InputError

    out: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.replace(";", ",").split(","))):
        key, sep, value = part.partition("=")
        try:
            if not sep or not key.strip():
                raise ValueError(part)
            out[key.strip()] = float(value)
        except ValueError:
            raise InputError(
                f"recode '{part}' is not of the form export_code=scale_code",
                where="Questionnaires, recode",
                fix="write pairs such as 0=1, 1=2, 2=3 (the export's code, then the scale's)",
            ) from None
    return out


def recode_text(recode: dict[str, float]) -> str:
    """The inverse of :func:`parse_recode`.

    Examples
    --------
    >>> recode_text({"0": 1.0, "1": 2.0})
    '0=1, 1=2'
    """
    return ", ".join(f"{k}={_number(v)}" for k, v in recode.items())


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
