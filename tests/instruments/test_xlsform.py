"""XLSForm export (KoboToolbox / ODK): sheets, names, choices, overlay, and the round trip.

The round trip writes the workbook, reads its ``survey`` and ``choices`` sheets back as a form
builder would, fabricates a Kobo/ODK-style export from them (XML values for one respondent,
choice labels for another, plus Kobo's metadata columns) and scores it without a mapping file.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

import stigma_outcomes as so
from stigma_outcomes.errors import InputError
from stigma_outcomes.instruments import list_instruments, load_instrument
from stigma_outcomes.instruments.schema import Instrument, code_key
from stigma_outcomes.instruments.xlsform import (
    CHOICES_COLUMNS,
    SURVEY_COLUMNS,
    to_xlsform,
    write_xlsform,
)

IDS = [i.id for i in list_instruments()]


def test_sheets_and_columns() -> None:
    form = to_xlsform(load_instrument("phq9"))
    assert list(form) == ["survey", "choices", "settings"]
    assert list(form["survey"].columns) == SURVEY_COLUMNS
    assert list(form["choices"].columns) == CHOICES_COLUMNS
    assert form["settings"].loc[0, "form_id"] == "phq9"
    assert form["survey"]["name"].tolist() == [f"phq9_{i}" for i in range(1, 10)]
    assert set(form["survey"]["type"]) == {"select_one frequency4"}
    choices = form["choices"]
    assert choices["name"].tolist() == ["0", "1", "2", "3"]
    assert choices.loc[3, "label"] == "Nearly every day"
    # Labels are our own short labels; no item wording is shipped.
    assert form["survey"].loc[8, "label"] == "thoughts of death or self-harm"


def test_items_with_different_non_answers_get_their_own_list() -> None:
    form = to_xlsform(load_instrument("k10_au"))
    types = dict(zip(form["survey"]["name"], form["survey"]["type"], strict=True))
    assert types["k10_au_2"] != types["k10_au_3"]  # item 3 can be skipped, item 2 cannot
    skipped = form["choices"][form["choices"]["list_name"] == types["k10_au_3"].split()[1]]
    assert skipped["name"].tolist()[-1] == "Skipped"
    # Lists are not repeated for items that share the same choices.
    assert form["choices"].duplicated(["list_name", "name"]).sum() == 0


def test_record_id_and_overlay() -> None:
    form = to_xlsform(
        load_instrument("gad7"), {"items": {"2": "Wording = mine"}}, record_id="participant"
    )
    survey = form["survey"]
    assert survey.loc[0, ["type", "name", "required"]].tolist() == ["text", "participant", "yes"]
    assert survey.loc[2, "label"] == "Wording = mine"
    with pytest.raises(InputError, match="not a valid XLSForm question name"):
        to_xlsform(load_instrument("gad7"), record_id="participant id")


def test_write_needs_xlsx_and_neutralises_formulas(tmp_path) -> None:
    with pytest.raises(InputError, match="XLSForm"):
        write_xlsform(load_instrument("k6"), tmp_path / "k6.csv")
    path = write_xlsform(
        load_instrument("gad7"), tmp_path / "gad7.xlsx", {"items": {"1": "=cmd()"}}
    )
    survey = pd.read_excel(path, sheet_name="survey", dtype=str)
    assert survey.loc[0, "label"] == "'=cmd()"


def _keyed(instrument: Instrument, item_id: str, code: float) -> float:
    item = instrument.item(item_id)
    codes = [float(o.code) for o in instrument.response_scales[item.scale]]
    value = min(codes) + max(codes) - code if item.reverse else code
    if item.recode is not None:
        value = float(item.recode.get(code_key(value), value))
    return value


def _extreme(instrument: Instrument, item_id: str, choices: pd.DataFrame, high: bool) -> pd.Series:
    """The choice row (name, label) whose scored value is lowest or highest for this item."""
    scale_codes = {
        code_key(o.code) for o in instrument.response_scales[instrument.item(item_id).scale]
    }
    on_scale = choices[choices["name"].isin(scale_codes)]
    values = on_scale["name"].map(lambda c: _keyed(instrument, item_id, float(c)))
    return on_scale.loc[values.idxmax() if high else values.idxmin()]


@pytest.mark.parametrize("instrument_id", IDS)
def test_round_trip_kobo_export_scores_without_mapping(instrument_id: str, tmp_path) -> None:
    instrument = load_instrument(instrument_id)
    path = write_xlsform(instrument, tmp_path / f"{instrument_id}.xlsx", record_id="pid")
    survey = pd.read_excel(path, sheet_name="survey", dtype=str, keep_default_na=False)
    choices = pd.read_excel(path, sheet_name="choices", dtype=str, keep_default_na=False)
    rows: dict[str, list[str]] = {"low": [], "high": [], "low_labels": [], "high_labels": []}
    names = []
    for _, question in survey.iloc[1:].iterrows():
        list_name = question["type"].split()[1]
        # Field names are lower-case (REDCap and XLSForm alike); item ids may not be.
        by_name = {i.id.lower(): i.id for i in instrument.items}
        item_id = by_name[question["name"][len(instrument_id) + 1 :]]
        own = choices[choices["list_name"] == list_name]
        low, high = (
            _extreme(instrument, item_id, own, False),
            _extreme(instrument, item_id, own, True),
        )
        names.append(question["name"])
        rows["low"].append(low["name"])
        rows["high"].append(high["name"])
        rows["low_labels"].append(low["label"])
        rows["high_labels"].append(high["label"])
    export = pd.DataFrame(
        [
            ["2024-01-01T10:00:00", pid, *answers, str(n), f"uuid-{n}", "2024-01-01T10:05:00"]
            for n, (pid, answers) in enumerate(rows.items())
        ],
        columns=["start", "pid", *names, "_id", "_uuid", "_submission_time"],
        dtype=object,
    )
    result = so.score(export, [instrument], id_col="pid")
    assert (result.ledger["problem"] != "unknown_label").all()
    for scale in instrument.scales:
        got = result.scores[result.scores["scale"] == scale.id].set_index("participant_id")["score"]
        for who in ("low", "high"):
            pair = sorted([got[who], got[f"{who}_labels"]])
            assert not any(math.isnan(v) for v in pair), (scale.id, who)
            assert pair[0] == pytest.approx(pair[1]), (scale.id, who)  # values = labels
        assert sorted([got["low"], got["high"]]) == pytest.approx(sorted(scale.range)), scale.id


def test_an_xlsform_written_twice_is_the_same_bytes(tmp_path) -> None:
    from stigma_outcomes.instruments import load_instrument
    from stigma_outcomes.instruments.xlsform import write_xlsform

    first = write_xlsform(load_instrument("k6"), tmp_path / "a.xlsx").read_bytes()
    assert write_xlsform(load_instrument("k6"), tmp_path / "b.xlsx").read_bytes() == first
