"""CompareSettings: one model, one name per concept across the API, the file and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from pydantic import ValidationError

from stigma_outcomes.comparison import CompareSettings, compare
from stigma_outcomes.comparison.settings import PoolMethod, RciSd
from stigma_outcomes.errors import AnalysisError, InputError
from stigma_outcomes.evaluation import Evaluation

GOLDEN = Path(__file__).parents[1] / "golden" / "paired"
INFO = GOLDEN / "scale_info.yaml"
DATA = {"data": [{"path": "a.csv", "wave": "pre"}], "instruments": ["ucla3"]}


def test_frozen_and_validated_once():
    s = CompareSettings(pre="pre", post="post", followup=["fu"], rci_sd="norms")
    assert s.rci_sd is RciSd.norms and s.followup == ("fu",)
    assert s.contrasts == [("pre", "post"), ("pre", "fu")]
    with pytest.raises(ValidationError):
        s.min_cell = 3  # type: ignore[misc]
    with pytest.raises(InputError, match="setting 'min_cell'"):
        CompareSettings.build(pre="a", post="b", min_cell=0)
    with pytest.raises(InputError, match="named twice"):
        CompareSettings.build(pre="a", post="b", followup=["a"])
    with pytest.raises(InputError, match=r"INSTRUMENT\.SCALE"):
        CompareSettings.build(pre="a", post="b", reliability={"total": 0.8})


@pytest.mark.parametrize(
    ("old", "new", "value"),
    [("group_col", "group_by", "site"), ("pool_col", "pool_by", "site"),
     ("threshold", "clinical_threshold", {"x.t": 3.0})],
)  # fmt: skip
def test_old_api_spellings_still_work_with_a_warning(old, new, value):
    with pytest.warns(DeprecationWarning, match=f"'{old}' is the old name of '{new}'"):
        s = CompareSettings.build(pre="a", post="b", **{old: value})
    assert getattr(s, new) == value
    with pytest.raises(InputError, match="not both"):
        CompareSettings.build(pre="a", post="b", **{old: value, new: "other"})


def test_compare_takes_keywords_or_a_settings_object_alike():
    settings = CompareSettings(pre="pre", post="post", group_by="site", min_cell=4)
    by_object = compare(GOLDEN / "scores.csv", settings=settings, scale_info=INFO)
    by_keywords = compare(
        GOLDEN / "scores.csv", "pre", "post", group_by="site", min_cell=4, scale_info=INFO
    )
    assert by_object.to_dict() == by_keywords.to_dict()
    with pytest.warns(DeprecationWarning):
        old = compare(GOLDEN / "scores.csv", "pre", "post", group_col="site", min_cell=4,
                      scale_info=INFO)  # fmt: skip
    assert old.to_dict() == by_keywords.to_dict()
    with pytest.raises(InputError, match="not both"):
        compare(GOLDEN / "scores.csv", "pre", settings=settings, scale_info=INFO)
    # arguments left at their defaults (or empty) do not count as given
    again = compare(GOLDEN / "scores.csv", followup=[], settings=settings, scale_info=INFO)
    assert again.to_dict() == by_object.to_dict()


@pytest.mark.filterwarnings("ignore:.*is the old name:DeprecationWarning")
def test_the_file_uses_the_same_names_and_keeps_the_old_ones():
    new = Evaluation.model_validate(
        {**DATA, "group_by": "arm", "pool_by": "site", "privacy": {"min_cell": 7},
         "clinical_threshold": {"phq9.total": 10}, "direction": {"x.t": "higher_is_worse"},
         "pool_method": "DL"}
    ).compare_settings()  # fmt: skip
    old = Evaluation.model_validate(
        {**DATA, "groups": "arm", "pool_by": "site", "privacy": {"threshold": 7},
         "clinical_threshold": {"phq9.total": 10}, "direction": {"x.t": "higher_is_worse"},
         "pool_method": "DL"}
    )  # fmt: skip
    assert old.compare_settings() == new
    assert old.groups == "arm" and old.privacy.threshold == 7  # old attribute names too
    assert new.group_by == "arm" and new.min_cell == 7 and new.pool_method is PoolMethod.DL
    assert new.clinical_threshold == {"phq9.total": 10.0}


def test_every_setting_the_api_takes_the_file_can_say():
    from stigma_outcomes.evaluation import evaluation_json_schema

    props = evaluation_json_schema()["properties"]
    waves = {"pre", "post", "followup"}  # under waves:
    privacy = {"min_cell"}  # under privacy:
    for name, info in CompareSettings.model_fields.items():
        if name in waves | privacy:
            continue
        assert name in props, name
        assert props[name]["description"].startswith(str(info.description)), name
    # old names are still read, and marked deprecated for editors
    assert props["groups"]["deprecated"] is True
    privacy = evaluation_json_schema()["$defs"]["Privacy"]["properties"]
    assert privacy["threshold"]["deprecated"] is True and "min_cell" in privacy


def test_privacy_limit_and_clinical_threshold_never_share_a_name():
    from typer.testing import CliRunner

    from stigma_outcomes.cli.app import app

    runner = CliRunner()
    for command in ("compare", "report", "pool"):
        text = runner.invoke(app, [command, "-h"], terminal_width=200).output
        assert "--min-cell" in text and "--threshold " not in text, command
    assert "--clinical-threshold" in runner.invoke(app, ["compare", "-h"]).output
    names = set(CompareSettings.model_fields)
    assert {"min_cell", "clinical_threshold"} <= names and "threshold" not in names


def test_cli_group_col_is_the_old_name_of_group_by(tmp_path):
    from typer.testing import CliRunner

    from stigma_outcomes.cli.app import app

    outs = []
    for option in ("--group-by", "--group-col"):
        out = tmp_path / f"{option}.json"
        result = CliRunner().invoke(app, [
            "compare", str(GOLDEN / "scores.csv"), "--pre", "pre", "--post", "post",
            option, "site", "--scale-info", str(INFO), "--out", str(out),
        ])  # fmt: skip
        assert result.exit_code == 0, result.output
        data = json.loads(out.read_text())
        data["meta"].pop("inputs")
        outs.append(data)
    assert outs[0] == outs[1] and outs[0]["meta"]["settings"]["group_by"] == "site"


def test_a_missing_wave_is_named_as_each_entry_point_names_it() -> None:
    """The file's user changes `waves:`, the command's --pre/--post, the API's pre=/post=
    (before, every one was told to use --pre / --post / --followup)."""
    scores = pd.DataFrame({"participant_id": ["a", "a"], "wave": ["pre", "post"],
                           "instrument": "ucla3", "scale": "total", "score": [3.0, 4.0],
                           "status": "ok"})  # fmt: skip
    made = {
        "evaluation file": "the evaluation file's waves: pre / post / followup",
        "stigma-outcomes compare": "--pre / --post / --followup",
        "compare()": "pre= / post= / followup=",
    }
    for where, names in made.items():
        settings = CompareSettings.build(where, pre="pre", post="after")
        with pytest.raises(AnalysisError) as caught:
            compare(scores, settings=settings)
        assert caught.value.fix == f"name one of the waves present in {names}"
    with pytest.raises(AnalysisError, match=r"in pre= / post= / followup="):
        compare(scores, pre="baseline", post="post")
    with pytest.raises(AnalysisError, match=r"in pre= / post= / followup="):
        compare(scores, settings=CompareSettings(pre="pre", post="after"))
