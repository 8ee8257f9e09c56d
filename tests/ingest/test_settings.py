"""LoadSettings: one model of reading and binding, from the API, the evaluation file and the CLI."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

import stigma_outcomes.scoring as scoring
from stigma_outcomes.cli.app import app
from stigma_outcomes.errors import InputError, UnknownNameError
from stigma_outcomes.evaluation import DataFile, Evaluation
from stigma_outcomes.ingest import load_responses, read_export
from stigma_outcomes.ingest.settings import LoadSettings
from stigma_outcomes.scoring import score

FRAME = pd.DataFrame(
    {"pcode": ["A", "a", "B"], "ucla3_1": [1, 2, 3], "ucla3_2": [1, 1, 1], "ucla3_3": [2, 2, 2]}
)


def test_keywords_are_validated_into_the_model() -> None:
    by_keywords = load_responses(FRAME, ["ucla3"], id_col="pcode", wave="pre", casefold_ids=True,
                                 duplicates="keep-first")  # fmt: skip
    settings = LoadSettings(id_col="pcode", wave="pre", casefold_ids=True, duplicates="keep-first")
    whole = load_responses(FRAME, ["ucla3"], settings)
    pd.testing.assert_frame_equal(by_keywords.frame, whole.frame)
    # 'A' and 'a' are one person with casefold_ids; keep-first keeps the first row
    assert whole.frame["participant_id"].tolist() == ["a", "b"]
    assert whole.frame["ucla3_1"].tolist() == [1, 3]


def test_the_model_is_frozen_and_normalises_lists() -> None:
    s = LoadSettings(wave="pre", carry="site", pii=["email"])
    assert (s.wave, s.carry, s.pii) == (("pre",), ("site",), ("email",))
    with pytest.raises(ValidationError):
        s.id_col = "x"  # type: ignore[misc]


def test_an_unknown_keyword_names_the_close_match() -> None:
    with pytest.raises(UnknownNameError, match="unknown setting 'id_colum'") as info:
        load_responses(FRAME, ["ucla3"], id_colum="pcode", wave="pre")
    assert "did you mean 'id_col'" in str(info.value)
    assert "load_responses()" in str(info.value)
    with pytest.raises(UnknownNameError, match="did you mean 'carry'"):
        score(FRAME, ["ucla3"], cary=["site"], wave="pre")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"duplicates": "keep-best"}, "unknown duplicate policy 'keep-best'"),
        ({"wave": "pre", "wave_col": "w"}, "cannot be used together"),
        ({"id_col": "@row", "unlinked": False}, "cannot be used for a paired design"),
        ({"layout": "tall"}, "setting 'layout'"),
        ({"read_options": ["sheet"]}, "read_options must be a dict"),
        ({"casefold_ids": "perhaps"}, "setting 'casefold_ids'"),
    ],
)
def test_a_bad_value_is_one_input_error(options: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_responses(FRAME, ["ucla3"], **options)


def test_settings_and_keywords_together_are_refused() -> None:
    with pytest.raises(InputError, match="not both"):
        load_responses(FRAME, ["ucla3"], LoadSettings(wave="pre"), id_col="pcode")
    with pytest.raises(InputError, match="must be a LoadSettings"):
        load_responses(FRAME, ["ucla3"], {"wave": "pre"})  # type: ignore[arg-type]
    responses = load_responses(FRAME, ["ucla3"], wave="pre", id_col="pcode")
    with pytest.raises(InputError, match="already read: settings"):
        score(responses, ["ucla3"], LoadSettings(wave="pre"))


def test_the_old_spelling_id_column_still_works_and_warns() -> None:
    with pytest.warns(DeprecationWarning, match="'id_column' is the old name of 'id_col'"):
        old = load_responses(FRAME, ["ucla3"], id_column="pcode", wave="pre")
    assert old.frame["participant_id"].tolist() == ["A", "a", "B"]
    with pytest.raises(InputError, match="not both"), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        LoadSettings.build(id_col="pcode", id_column="other")


def test_linked_is_the_old_opposite_of_unlinked() -> None:
    with pytest.warns(DeprecationWarning, match="'linked' is the old name of 'unlinked'"):
        assert LoadSettings.build(linked=True).unlinked is False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert LoadSettings.build(linked=False, unlinked=True).unlinked is True  # the same
        with pytest.raises(InputError, match="cannot be used for a paired design"):
            LoadSettings.build(id_col="@row", linked=True)
        with pytest.raises(InputError, match="give 'unlinked' or its old name 'linked'"):
            LoadSettings.build(linked=True, unlinked=True)
    assert LoadSettings(id_col="@row").linked is None  # not said: row numbers allowed
    assert LoadSettings(unlinked=True).linked is False


def test_read_options_dict_still_works_and_reaches_read_export(tmp_path: Path) -> None:
    book = tmp_path / "wave.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="notes", index=False)
        FRAME.to_excel(writer, sheet_name="answers", index=False)
    by_dict = load_responses(
        book, ["ucla3"], wave="pre", id_col="pcode", read_options={"sheet": "answers"}
    )
    by_field = load_responses(book, ["ucla3"], wave="pre", id_col="pcode", sheet=1)
    assert len(by_dict.frame) == len(by_field.frame) == 3
    assert LoadSettings(sheet="answers").read_kwargs() == {"sheet": "answers"}
    with pytest.raises(UnknownNameError, match="unknown setting 'sheets'"):
        load_responses(book, ["ucla3"], wave="pre", read_options={"sheets": 1})


def test_sources_that_are_not_exports_are_input_errors() -> None:
    with pytest.raises(InputError, match="not int") as info:
        read_export(123)  # type: ignore[arg-type]
    assert "read_export()" in str(info.value) and "how to fix" in str(info.value)
    with pytest.raises(InputError, match="not NoneType") as info:
        load_responses(None, ["ucla3"], wave="pre")  # type: ignore[arg-type]
    assert "export 1 of 1" in str(info.value)
    with pytest.raises(InputError, match="export 2 of 2"):
        load_responses([FRAME, 3.5], ["ucla3"], wave=["pre", "post"])  # type: ignore[list-item]


def test_the_evaluation_file_builds_the_model(tmp_path: Path) -> None:
    ev = Evaluation.model_validate(
        {
            "data": [{"path": "a.csv", "wave": "pre"}, {"path": "b.csv", "wave": "post"}],
            "instruments": ["ucla3"],
            "mapping": "map.yaml",
            "id_col": "pcode",
            "duplicates": "error",
            "carry": ["site"],
            "group_by": "arm",
            "covariates": ["age"],
            "privacy": {"pii": ["email"]},
        }
    )
    s = ev.load_settings(tmp_path)
    assert s.id_col == "pcode" and s.duplicates == "error" and s.casefold_ids is True
    assert s.mapping == tmp_path / "map.yaml"
    assert s.wave == ("pre", "post") and s.wave_col is None
    assert s.carry == ("site", "arm", "age") and s.pii == ("email",) and s.unlinked is False
    by_column = Evaluation.model_validate(
        {
            "data": [{"path": "a.csv", "wave_col": "event"}],
            "instruments": ["ucla3"],
            "unlinked": True,
            "casefold_ids": False,
        }
    ).load_settings()
    assert (by_column.wave, by_column.wave_col, by_column.unlinked) == (None, "event", True)
    assert by_column.casefold_ids is False
    mixed = Evaluation.model_validate(
        {
            "data": [{"path": "a.csv", "wave": "pre"}, {"path": "b.csv", "wave_col": "w"}],
            "instruments": ["ucla3"],
        }
    )
    with pytest.raises(InputError, match="mix 'wave' and 'wave_col'"):
        mixed.load_settings()


def test_the_file_and_the_model_share_their_descriptions() -> None:
    fields = Evaluation.model_fields
    for name in ("id_col", "duplicates", "carry"):
        assert fields[name].description == LoadSettings.model_fields[name].description
    wave_col = DataFile.model_fields["wave_col"].description
    assert wave_col == LoadSettings.model_fields["wave_col"].description


def test_the_cli_builds_the_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    export = tmp_path / "pre.csv"
    FRAME.assign(site=["n", "n", "s"], email=["x@y.z"] * 3).to_csv(export, index=False)
    seen: list[LoadSettings] = []
    real = scoring.score

    def spy(data: Any, instruments: Any = None, settings: Any = None, **kw: Any) -> Any:
        seen.append(settings)
        return real(data, instruments, settings, **kw)

    monkeypatch.setattr(scoring, "score", spy)
    args = ["score", str(export), "--out", str(tmp_path / "s.csv"), "-i", "ucla3",
            "--id-col", "pcode", "--wave", "pre", "--carry", "site", "--casefold-ids",
            "--duplicates", "keep-first", "--pii", "email", "--include-previews"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    (s,) = seen
    assert isinstance(s, LoadSettings)
    assert (s.id_col, s.wave, s.carry, s.casefold_ids) == ("pcode", ("pre",), ("site",), True)
    assert (s.duplicates, s.pii, s.include_previews) == ("keep-first", ("email",), True)
    assert s.read_kwargs() == {"include_previews": True, "pii": ("email",)}


def test_a_bad_cli_value_exits_2_without_a_traceback(tmp_path: Path) -> None:
    export = tmp_path / "pre.csv"
    FRAME.to_csv(export, index=False)
    args = ["score", str(export), "--out", str(tmp_path / "s.csv"), "-i", "ucla3",
            "--wave", "pre", "--duplicates", "keep-best"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    # a choice of the command line, from the enum the settings declare
    assert "Invalid value for '--duplicates'" in result.output
    assert "'keep-best' is not one of 'keep-last-complete', 'keep-first', 'error'" in result.output
    assert "Traceback" not in result.output


def test_the_duplicate_policy_is_one_enum_for_the_model_the_file_and_the_cli() -> None:
    from stigma_outcomes._load_choices import DUPLICATE_POLICIES, DuplicatePolicy

    assert DUPLICATE_POLICIES == ("keep-last-complete", "keep-first", "error")
    assert LoadSettings.model_fields["duplicates"].annotation is DuplicatePolicy
    assert Evaluation.model_fields["duplicates"].annotation is DuplicatePolicy
    assert LoadSettings(duplicates="keep-first").duplicates is DuplicatePolicy.keep_first
    with pytest.raises(InputError, match="unknown duplicate policy 'newest'"):
        LoadSettings.build(duplicates="newest")
    from stigma_outcomes.evaluation import load_evaluation

    with pytest.raises(InputError, match="field 'duplicates': Input should be 'keep-last-comp"):
        load_evaluation({"data": [{"path": "a.csv", "wave": "pre"}], "instruments": ["ucla3"],
                         "duplicates": "newest"})  # fmt: skip
