"""Cross-checks of an instrument definition that need the whole definition at once.

Field types are checked by the pydantic models in :mod:`.schema`; here we check that the
parts agree with each other: every scale item exists, reverse keys and recodes refer to
codes of the item's response scale, the stated ``range`` is what the items and the method
can produce, bands tile the range, and a conversion table covers every reachable raw score.
Each failed check raises one :class:`~stigma_outcomes.errors.DefinitionError` naming the
field path and the fix.
"""

from __future__ import annotations

import math
from decimal import Decimal
from itertools import pairwise

from ..errors import DefinitionError
from .schema import Instrument, Item, Scale, code_key

_TOL = 1e-9


def normalise_label(text: str) -> str:
    """Fold case and whitespace so that 'Strongly  Agree ' and 'strongly agree' match.

    Examples
    --------
    >>> normalise_label("  Strongly   AGREE ")
    'strongly agree'
    """
    return " ".join(str(text).split()).casefold()


def scale_codes(instrument: Instrument, scale_name: str) -> list[float]:
    """Sorted response codes of one response scale."""
    return sorted(float(option.code) for option in instrument.response_scales[scale_name])


def item_values(instrument: Instrument, item: Item) -> list[float]:
    """Every value an item can contribute to a score, after reversal, recode and missing codes."""
    codes = scale_codes(instrument, item.scale)
    low, high = codes[0], codes[-1]
    values = [low + high - c if item.reverse else c for c in codes]
    if item.recode is not None:
        values = [float(item.recode.get(code_key(v), v)) for v in values]
    values += [float(m.score_as) for m in item.missing_codes if m.score_as is not None]
    return sorted(set(values))


def _fail(where: str, what: str, fix: str) -> DefinitionError:
    return DefinitionError(what, where=where, fix=fix)


def check_instrument(instrument: Instrument, source: str = "<definition>") -> Instrument:
    """Run every cross-check; return the instrument unchanged when it passes.

    Raises
    ------
    DefinitionError
        Naming ``source``, the field path and the fix, for the first problem found.
    """
    _check_response_scales(instrument, source)
    _check_items(instrument, source)
    for index, scale in enumerate(instrument.scales):
        _check_scale(instrument, scale, f"{source}: scales[{index}] (id '{scale.id}')")
    _check_unique([s.id for s in instrument.scales], f"{source}: scales", "scale id")
    for index, alert in enumerate(instrument.alerts):
        where = f"{source}: alerts[{index}] (id '{alert.id}')"
        for item_id in alert.items:
            if item_id not in instrument.item_ids:
                raise _fail(
                    where + ".items",
                    f"alert refers to item '{item_id}', which the definition does not have",
                    f"use one of the item ids: {', '.join(instrument.item_ids)}",
                )
    return instrument


def _check_unique(values: list[str], where: str, what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise _fail(
                where, f"{what} '{value}' appears twice", f"give each {what} a unique value"
            )
        seen.add(value)


def _check_response_scales(instrument: Instrument, source: str) -> None:
    for name, options in instrument.response_scales.items():
        where = f"{source}: response_scales.{name}"
        _check_unique([code_key(o.code) for o in options], where, "response code")
        labels = [normalise_label(t) for o in options for t in (o.label, *o.synonyms)]
        _check_unique(labels, where, "response label or synonym")
        for text in labels:
            if _is_number(text):
                raise _fail(
                    where,
                    f"label '{text}' is a number, so it could not be told apart from a code",
                    "write labels as words; numbers are matched as codes automatically",
                )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _check_items(instrument: Instrument, source: str) -> None:
    _check_unique(instrument.item_ids, f"{source}: items", "item id")
    for index, item in enumerate(instrument.items):
        where = f"{source}: items[{index}] (id '{item.id}')"
        if item.scale not in instrument.response_scales:
            raise _fail(
                where + ".scale",
                f"response scale '{item.scale}' is not defined",
                f"use one of: {', '.join(instrument.response_scales)}",
            )
        codes = {code_key(o.code) for o in instrument.response_scales[item.scale]}
        if item.recode is not None:
            unknown = sorted(set(item.recode) - codes)
            if unknown:
                raise _fail(
                    where + ".recode",
                    f"recode refers to code(s) {', '.join(unknown)}, "
                    f"which scale '{item.scale}' does not have",
                    f"use codes of that scale: {', '.join(sorted(codes))}",
                )
            missing = sorted(codes - set(item.recode))
            if missing:
                raise _fail(
                    where + ".recode",
                    f"recode does not say what code(s) {', '.join(missing)} score as",
                    "give a recoded value for every code of the response scale",
                )
        labels = {
            normalise_label(t)
            for o in instrument.response_scales[item.scale]
            for t in (o.label, *o.synonyms)
        }
        for m_index, missing_code in enumerate(item.missing_codes):
            m_where = f"{where}.missing_codes[{m_index}]"
            if missing_code.code is not None and code_key(missing_code.code) in codes:
                raise _fail(
                    m_where,
                    f"missing code {code_key(missing_code.code)} is also a response code",
                    "give the non-answer its own code, or leave its code out",
                )
            for text in (missing_code.label, *missing_code.synonyms):
                if normalise_label(text) in labels:
                    raise _fail(
                        m_where,
                        f"missing-code label '{text}' is also a response label",
                        "use a label that is not on the response scale",
                    )


def _decimals(value: float) -> int:
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def reachable_raw_scores(instrument: Instrument, scale: Scale) -> set[float]:
    """Every raw score a scale can produce with all items answered (sum methods)."""
    sums = {0.0}
    for item_id in scale.items:
        values = item_values(instrument, instrument.item(item_id))
        sums = {round(s + v, 9) for s in sums for v in values}
    return sums


def theoretical_range(instrument: Instrument, scale: Scale) -> tuple[float, float]:
    """The lowest and highest raw score the items and method can produce."""
    per_item = [item_values(instrument, instrument.item(i)) for i in scale.items]
    lows = [v[0] for v in per_item]
    highs = [v[-1] for v in per_item]
    if scale.method == "mean":
        # With missing items allowed, a mean can reach the most extreme single item's value.
        if scale.required_answers() < len(scale.items):
            return min(lows), max(highs)
        return sum(lows) / len(lows), sum(highs) / len(highs)
    return float(sum(lows)), float(sum(highs))


def _check_missing_item_value(instrument: Instrument, scale: Scale, where: str) -> None:
    if scale.method != "sum":
        raise _fail(
            where + ".missing_item_value",
            f"missing_item_value applies to a 'sum', not to method '{scale.method}'",
            "remove missing_item_value (a mean or prorated sum already allows for skipped items)",
        )
    value = float(scale.missing_item_value)  # type: ignore[arg-type]
    for item_id in scale.items:
        values = item_values(instrument, instrument.item(item_id))
        if not values[0] <= value <= values[-1]:
            raise _fail(
                where + ".missing_item_value",
                f"a skipped item would count {value:g}, outside the {values[0]:g} to "
                f"{values[-1]:g} that item '{item_id}' can score",
                "use a value every item of the scale can take after keying",
            )


def _check_scale(instrument: Instrument, scale: Scale, where: str) -> None:
    for item_id in scale.items:
        if item_id not in instrument.item_ids:
            raise _fail(
                where + ".items",
                f"scale lists item '{item_id}', which the definition does not have",
                f"use item ids from 'items': {', '.join(instrument.item_ids)}",
            )
    _check_unique(scale.items, where + ".items", "item")
    required = scale.required_answers()
    if required > len(scale.items):
        raise _fail(
            where + ".min_answered",
            f"min_answered asks for {required} answers but the scale has {len(scale.items)} items",
            "lower min_answered to at most the number of items",
        )
    if scale.missing_item_value is not None:
        _check_missing_item_value(instrument, scale, where)
    elif scale.method == "sum" and required < len(scale.items):
        raise _fail(
            where + ".method",
            "a plain sum with missing items allowed would score people lower for skipping items",
            "use method 'prorated_sum', set min_answered to the number of items, or give the "
            "authors' value for a skipped item as missing_item_value",
        )
    raw_low, raw_high = theoretical_range(instrument, scale)
    if scale.conversion is not None:
        _check_conversion(instrument, scale, where)
        reported = [row.score for row in scale.conversion.table]
        expected = (min(reported), max(reported))
        basis = "the conversion table's scores"
    else:
        expected = (raw_low, raw_high)
        basis = f"its items and method '{scale.method}'"
    if not (
        math.isclose(scale.range[0], expected[0], abs_tol=1e-6)
        and math.isclose(scale.range[1], expected[1], abs_tol=1e-6)
    ):
        raise _fail(
            where + ".range",
            f"range is {list(scale.range)} but {basis} give "
            f"[{_fmt(expected[0])}, {_fmt(expected[1])}]",
            f"set range to [{_fmt(expected[0])}, {_fmt(expected[1])}] or correct the items",
        )
    if scale.bands is not None:
        _check_bands(scale, where + ".bands")
    if scale.clinical_cutoff is not None:
        value = scale.clinical_cutoff.value
        if not scale.range[0] <= value <= scale.range[1]:
            raise _fail(
                where + ".clinical_cutoff.value",
                f"clinical cutoff {value} lies outside the range {list(scale.range)}",
                "check the cutoff and the scoring method it was published for",
            )


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _check_bands(scale: Scale, where: str) -> None:
    assert scale.bands is not None
    levels = sorted(scale.bands.levels, key=lambda b: b.min)
    step = 10.0 ** -max(_decimals(v) for b in levels for v in (b.min, b.max))
    if not math.isclose(levels[0].min, scale.range[0], abs_tol=_TOL):
        raise _fail(
            where,
            f"bands start at {levels[0].min}, not at the bottom of the range ({scale.range[0]})",
            "make the lowest band start at the range minimum",
        )
    if not math.isclose(levels[-1].max, scale.range[1], abs_tol=_TOL):
        raise _fail(
            where,
            f"bands end at {levels[-1].max}, not at the top of the range ({scale.range[1]})",
            "make the highest band end at the range maximum",
        )
    for lower, upper in pairwise(levels):
        if upper.min <= lower.max + _TOL:
            raise _fail(
                where,
                f"bands '{lower.label}' ({lower.min}–{lower.max}) and '{upper.label}' "
                f"({upper.min}–{upper.max}) overlap",
                "make each band start just above where the previous one ends",
            )
        if not math.isclose(upper.min - lower.max, step, abs_tol=_TOL):
            raise _fail(
                where,
                f"gap between bands '{lower.label}' (ends {lower.max}) and '{upper.label}' "
                f"(starts {upper.min}): scores in between would have no band",
                f"bands are inclusive at the precision written ({step:g}); "
                f"start '{upper.label}' at {_fmt(round(lower.max + step, 9))}",
            )


def _check_conversion(instrument: Instrument, scale: Scale, where: str) -> None:
    assert scale.conversion is not None
    if scale.method == "mean":
        raise _fail(
            where + ".conversion",
            "a conversion table needs a summed raw score, but the method is 'mean'",
            "use method 'sum' (or 'prorated_sum') for a scale with a conversion table",
        )
    keys = [round(float(row.raw), 9) for row in scale.conversion.table]
    _check_unique([_fmt(k) for k in keys], where + ".conversion.table", "raw score")
    reachable = reachable_raw_scores(instrument, scale)
    if scale.method == "prorated_sum":
        low, high = min(reachable), max(reachable)
        reachable |= {float(v) for v in range(math.ceil(low), math.floor(high) + 1)}
    uncovered = sorted(reachable - set(keys))
    if uncovered:
        shown = ", ".join(_fmt(v) for v in uncovered[:8])
        raise _fail(
            where + ".conversion.table",
            f"the conversion table has no row for reachable raw score(s) {shown}",
            "add a row for every raw score the scale can produce",
        )
