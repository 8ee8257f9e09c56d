"""The workbench's state logic, without a browser: what it recognises, writes and runs."""

from __future__ import annotations

import filecmp
import json
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import stigma_outcomes as so
from stigma_outcomes.app.recognise import Block, blocks_from, parse_recode
from stigma_outcomes.app.state import RUN_STAGES, Workbench, step_for_error
from stigma_outcomes.errors import InputError, StigmaOutcomesError

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
REPO = SAMPLE.parents[1]


@pytest.fixture
def sample(tmp_path: Path) -> Workbench:
    wb = Workbench(tmp_path / "project")
    for name in ("qualtrics_pre.csv", "qualtrics_post.csv"):
        wb.add_export(name, SAMPLE / name)
    wb.recognise()
    return wb


def _unique_instrument() -> so.Instrument:
    """An instrument no other shares an item count with (so a bare block can only be it)."""
    everything = so.list_instruments()
    counts = Counter(len(i.item_ids) for i in everything)
    return next(i for i in everything if counts[len(i.item_ids)] == 1 and len(i.item_ids) >= 3)


def _numeric_export(folder: Path, instrument: so.Instrument) -> Path:
    """A plain export whose Q5_<item> columns hold codes of the scale: a range-only match."""
    rng = np.random.default_rng(7)
    codes = [o.code for o in next(iter(instrument.response_scales.values()))]
    frame = pd.DataFrame(
        {
            "participant_id": [f"p{i}" for i in range(30)],
            **{f"Q5_{item}": rng.choice(codes, 30) for item in instrument.item_ids},
        }
    )
    path = folder / "numeric_pre.csv"
    frame.to_csv(path, index=False)
    return path


def test_sample_is_recognised_per_file(sample: Workbench) -> None:
    pre, post = (e.summary for e in sample.exports)
    assert pre is not None and post is not None
    assert (pre.flavor, pre.rows_in, pre.rows_read) == ("qualtrics", 242, 240)
    assert pre.set_aside == {"survey_preview": 1, "unfinished_response": 1}
    assert (pre.id_col, pre.wave, post.wave) == ("pcode", "pre", "post")
    assert "RecipientEmail" in pre.personal
    assert sample.waves() == ["pre", "post"]
    assert {"arm", "site"} <= set(sample.columns())
    assert sample.columns()["arm"] == ["Comparison", "Intervention"]
    assert "rows read: 240 of 242" in pre.lines()


def test_the_sample_files_match_the_shipped_ones(sample: Workbench) -> None:
    assert sample.mapping() == yaml.safe_load((SAMPLE / "mapping.yaml").read_text())
    ev = sample.evaluation()
    assert ev["instruments"] == ["gbs", "ismi29", "ucla3"]
    assert ev["data"] == [
        {"path": "qualtrics_pre.csv", "wave": "pre", "flavor": "qualtrics"},
        {"path": "qualtrics_post.csv", "wave": "post", "flavor": "qualtrics"},
    ]
    assert (ev["id_col"], ev["waves"]) == ("pcode", {"pre": "pre", "post": "post"})


def test_a_range_only_guess_is_never_applied_unconfirmed(tmp_path: Path) -> None:
    instrument = _unique_instrument()
    wb = Workbench(tmp_path / "project")
    wb.add_export("numeric_pre.csv", _numeric_export(tmp_path, instrument))
    wb.recognise()
    (block,) = wb.blocks
    assert block.instrument == instrument.id and block.range_only and not block.confirmed
    assert wb.chosen_blocks() == [] and wb.mapping() == {"instruments": {}}
    with pytest.raises(InputError, match="no questionnaire is confirmed") as err:
        wb.evaluation()
    assert err.value.where == "Questionnaires"
    block.confirmed = True
    assert wb.mapping()["instruments"] == {instrument.id: {"pattern": "Q5_{item}"}}


def test_answers_survive_reading_the_exports_again(sample: Workbench) -> None:
    ucla = next(b for b in sample.blocks if b.instrument == "ucla3")
    ucla.confirmed, ucla.recode = False, {"0": 1.0}
    sample.add_export("qualtrics_post.csv", SAMPLE / "qualtrics_post.csv")  # replaced, not added
    sample.recognise()
    assert [e.name for e in sample.exports] == ["qualtrics_pre.csv", "qualtrics_post.csv"]
    again = next(b for b in sample.blocks if b.instrument == "ucla3")
    assert (again.confirmed, again.recode) == (False, {"0": 1.0})
    assert "ucla3" not in sample.evaluation()["instruments"]


def _my_definition(folder: Path) -> Path:
    """A user's own three-item definition (a copy of ucla3 under another id)."""
    text = (REPO / "instruments" / "ucla3.yaml").read_text(encoding="utf-8")
    mine = folder / "myloneliness.yaml"
    mine.write_text(text.replace("id: ucla3", "id: myloneliness", 1), encoding="utf-8")
    return mine


def test_changing_a_blocks_instrument_and_recode(sample: Workbench, tmp_path: Path) -> None:
    ucla = next(b for b in sample.blocks if b.instrument == "ucla3")
    three = sample.add_definition("myloneliness.yaml", _my_definition(tmp_path))
    ucla.target, ucla.recode = three, parse_recode("1=1, 2=2, 3=3")
    entry = sample.mapping()["instruments"][three]
    items = so.load_instrument(sample.folder / sample.definitions[three]).item_ids
    assert entry["columns"] == dict(zip(map(str, items), ["Q10_1", "Q10_2", "Q10_3"], strict=True))
    assert entry["recode"] == {"1": 1, "2": 2, "3": 3}
    assert sample.definitions[three] in sample.evaluation()["instruments"]
    ucla.target = "ismi29"  # 29 items for 3 columns
    with pytest.raises(InputError, match="ismi29 has 29 items but the block of ucla3 has 3"):
        sample.mapping()


def test_adding_a_block_by_hand(tmp_path: Path) -> None:
    wb = Workbench(tmp_path / "project")
    wb.add_export("numeric_pre.csv", _numeric_export(tmp_path, so.load_instrument("ucla3")))
    wb.recognise()
    assert wb.blocks == []  # Q5_1..3 fit more than one three-item instrument: not guessed
    assert any("equally well" in d for d in wb.doubts)
    block = wb.add_manual_block("ucla3", "Q5_{item}")
    assert (
        block.confirmed
        and block.manual
        and block.entries == {"numeric_pre.csv": {"pattern": "Q5_{item}"}}
    )
    assert [b.instrument for b in wb.blocks] == ["ucla3"]
    with pytest.raises(InputError, match="has no \\{item\\}"):
        wb.add_manual_block("ucla3", "Q5_")
    with pytest.raises(InputError, match="no export has all 3 columns Q9_1"):
        wb.add_manual_block("ucla3", "Q9_{item}")


def test_design_mistakes_are_caught_before_the_run(sample: Workbench) -> None:
    sample.design.post = "pre"
    with pytest.raises(InputError, match="pre and post are the same wave"):
        sample.evaluation()
    sample.design.post = "follow-up"
    with pytest.raises(InputError, match="post wave 'follow-up' is not among the waves found"):
        sample.evaluation()
    sample.design.post = "post"
    sample.programme.min_cell = 0
    with pytest.raises(InputError, match=r"privacy\.min_cell"):
        sample.evaluation()


def test_a_file_with_no_wave_needs_one(tmp_path: Path) -> None:
    wb = Workbench(tmp_path / "project")
    for name in ("qualtrics_pre.csv", "qualtrics_post.csv"):
        shutil.copy(SAMPLE / name, tmp_path / name.replace("_pre", "_a").replace("_post", "_b"))
    wb.add_export("qualtrics_a.csv", tmp_path / "qualtrics_a.csv")
    wb.add_export("qualtrics_b.csv", tmp_path / "qualtrics_b.csv")
    wb.recognise()
    assert [e.wave for e in wb.exports] == ["a", "b"]  # the part of the names that differs
    assert any("named it 'b' after its file name" in d for d in wb.doubts)
    wb.exports[1].wave = ""
    with pytest.raises(InputError, match=r"qualtrics_b\.csv has no wave") as err:
        wb.evaluation()
    assert step_for_error(err.value) == "exports"


def test_an_unreadable_file_keeps_its_error_and_blocks_the_run(
    sample: Workbench, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text("only,a,header\n", encoding="utf-8")
    sample.add_export("broken.csv", broken)
    sample.recognise()
    bad = sample.exports[-1]
    assert bad.summary is None and bad.error is not None
    assert all(e.summary is not None for e in sample.exports[:-1])
    with pytest.raises(InputError, match=r"broken\.csv cannot be read"):
        sample.evaluation()
    sample.remove_export("broken.csv")
    assert not (sample.folder / "broken.csv").exists()
    sample.evaluation()


def test_a_wrong_upload_is_refused_before_it_is_kept(tmp_path: Path) -> None:
    wb = Workbench(tmp_path / "project", max_upload=1000)
    image = tmp_path / "shot.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(10))
    with pytest.raises(InputError, match=r"shot\.png is a PNG image"):
        wb.add_export("shot.png", image)
    with pytest.raises(InputError, match=r"over the 0\.001 MB upload limit"):
        wb.add_export("qualtrics_pre.csv", SAMPLE / "qualtrics_pre.csv")
    assert wb.exports == [] and list(wb.folder.iterdir()) == []


def test_own_definition_is_validated_and_listed(sample: Workbench, tmp_path: Path) -> None:
    mine = _my_definition(tmp_path)
    assert sample.add_definition("myloneliness.yaml", mine) == "myloneliness"
    assert sample.definitions == {"myloneliness": "definitions/myloneliness.yaml"}
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nitems: 3\n", encoding="utf-8")
    with pytest.raises(StigmaOutcomesError):
        sample.add_definition("broken.yaml", broken)
    assert not (sample.folder / "definitions" / "broken.yaml").exists()
    sample.recognise()
    # Q10_1..3 fit ucla3 and its copy equally: an open question, and no block for either.
    assert any("fit myloneliness, ucla3 equally well" in d for d in sample.doubts)
    assert {b.instrument for b in sample.blocks} == {"gbs", "ismi29"}
    sample.add_manual_block("myloneliness", "Q10_{item}")
    ev = sample.evaluation()
    assert "definitions/myloneliness.yaml" in ev["instruments"]
    assert "myloneliness" in sample.mapping()["instruments"]


def test_step_for_error_points_at_the_step_to_change() -> None:
    assert step_for_error(InputError("x", where="mapping.yaml, ucla3")) == "questionnaires"
    assert step_for_error(InputError("no pairs between pre and post")) == "design"
    assert step_for_error(InputError("evaluation file field 'privacy.min_cell'")) == "programme"
    assert step_for_error(InputError("the file is empty", where="pre.csv")) == "exports"


def test_blocks_from_keeps_manual_blocks() -> None:
    manual = Block(
        "ucla3",
        "ucla3",
        "by hand",
        "",
        {"a.csv": {"pattern": "Q{item}"}},
        {"a.csv": ["Q1", "Q2", "Q3"]},
        {},
        True,
        manual=True,
    )
    assert blocks_from([], [manual]) == [manual]


@pytest.mark.slow
def test_the_run_is_reproduced_byte_for_byte_by_the_cli_files(
    sample: Workbench, tmp_path: Path
) -> None:
    sample.programme.title = "Peer Connect outcome report"
    sample.design.group_by, sample.design.reference_group = "arm", "Comparison"
    stages: list[tuple[int, str]] = []
    outcome = sample.run(lambda i, label: stages.append((i, label)))
    assert [s[1] for s in stages] == [label for _, label in RUN_STAGES] + ["Done"]
    assert outcome.summary["rows_in"] == 422
    assert {"report_pdf", "scores_xlsx", "ledger_xlsx"} <= set(outcome.files)
    scores = pd.read_excel(outcome.files["scores_xlsx"])
    assert len(scores) == len(pd.read_csv(outcome.files["scores"]))
    again = so.run_evaluation(sample.folder / "evaluation.yaml", tmp_path / "again")
    for name in ("report_pdf", "results_json", "scores", "ledger"):
        assert filecmp.cmp(outcome.files[name], again.files[name], shallow=False), name
    with zipfile.ZipFile(sample.project_zip()) as archive:
        assert sorted(archive.namelist()) == [
            "project/evaluation.yaml",
            "project/mapping.yaml",
            "project/qualtrics_post.csv",
            "project/qualtrics_pre.csv",
        ]


@pytest.mark.slow
def test_a_redcap_export_with_its_dictionary_and_renamed_events(tmp_path: Path) -> None:
    wb = Workbench(tmp_path / "project")
    wb.add_export("redcap_longitudinal.csv", SAMPLE / "redcap_longitudinal.csv")
    wb.add_dictionary("redcap_data_dictionary.csv", SAMPLE / "redcap_data_dictionary.csv")
    wb.recognise()
    (summary,) = [e.summary for e in wb.exports]
    assert summary is not None and summary.wave_col == "redcap_event_name"
    assert wb.column_waves() == ["baseline_arm_1", "post_arm_1", "followup_arm_1"]
    # named as init drafts them: the events without their arm
    assert wb.rename == {"baseline_arm_1": "baseline", "post_arm_1": "post",
                         "followup_arm_1": "follow-up"}  # fmt: skip
    assert (wb.design.pre, wb.design.post) == ("baseline", "post")
    # Named columns with value labels: evidence enough, ticked.
    assert all(b.confirmed and not b.range_only for b in wb.blocks)
    wb.rename = {"baseline_arm_1": "baseline", "post_arm_1": "post", "followup_arm_1": "follow-up"}
    wb.fit_design()
    assert (wb.design.pre, wb.design.post) == ("baseline", "post")
    wb.design.followup = ["follow-up"]
    ev = wb.evaluation()
    assert ev["data"][0]["dictionary"] == "redcap_data_dictionary.csv"
    assert ev["waves"]["rename"] == wb.rename and ev["id_col"] == "record_id"
    outcome = wb.run()
    again = so.run_evaluation(wb.folder / "evaluation.yaml", tmp_path / "again")
    assert filecmp.cmp(outcome.files["report_pdf"], again.files["report_pdf"], shallow=False)
    results = (outcome.files["results_json"]).read_text(encoding="utf-8")
    assert '"follow-up"' in results


def test_a_long_files_waves_are_proposed_by_what_they_say(tmp_path: Path) -> None:
    """pre, mid, post in that order of rows: the Design step proposes pre → post (before,
    pre → mid), and says that 'mid' named no place in time."""
    rows = [
        {"participant_id": f"P{i:02d}", "wave": wave, "ucla3_1": 1 + i % 3, "ucla3_2": 2,
         "ucla3_3": 1 + (i + 1) % 3}
        for wave in ("pre", "mid", "post")
        for i in range(12)
    ]  # fmt: skip
    pd.DataFrame(rows).to_csv(tmp_path / "long.csv", index=False)
    wb = Workbench(tmp_path / "project")
    wb.add_export("long.csv", tmp_path / "long.csv")
    wb.recognise()
    assert wb.waves() == ["pre", "post", "mid"]
    assert (wb.design.pre, wb.design.post) == ("pre", "post")
    assert any("'mid' not compared" in doubt for doubt in wb.doubts)


def test_the_exports_waves_are_proposed_in_the_order_init_compares_them(
    tmp_path: Path,
) -> None:
    """One export per wave, uploaded Baseline, Week6, End: the Design step proposes
    Baseline → End (before, pre → 'Week6', the second upload)."""
    frame = pd.DataFrame({"participant_id": ["A", "B"], "ucla3_1": [1, 2], "ucla3_2": [2, 2],
                          "ucla3_3": [3, 1]})  # fmt: skip
    wb = Workbench(tmp_path / "project")
    for name in ("wellbeing_Baseline.csv", "wellbeing_Week6.csv", "wellbeing_End.csv"):
        frame.to_csv(tmp_path / name, index=False)
        wb.add_export(name, tmp_path / name)
    wb.recognise()
    assert [e.wave for e in wb.exports] == ["pre", "Week6", "post"]
    assert wb.waves() == ["pre", "post", "Week6"]
    assert (wb.design.pre, wb.design.post) == ("pre", "post")
    assert any("'Week6' not compared" in doubt for doubt in wb.doubts)


def test_more_personal_columns_are_kept_out(sample: Workbench) -> None:
    sample.personal = ["UserLanguage"]
    sample.recognise()
    for export in sample.exports:
        assert export.summary is not None and "UserLanguage" in export.summary.personal
        assert "UserLanguage" not in export.summary.plain_columns
    assert sample.evaluation()["privacy"]["pii"] == ["UserLanguage"]


def test_the_sample_is_one_click_away(tmp_path: Path) -> None:
    wb = Workbench(tmp_path / "project")
    wb.add_sample()
    assert [e.name for e in wb.exports] == ["qualtrics_pre.csv", "qualtrics_post.csv"]


@pytest.mark.slow
def test_the_optional_planning_section(sample: Workbench) -> None:
    sample.design.planning, sample.design.planning_attrition = True, 0.2
    assert sample.evaluation()["report"]["planning"] == {
        "power": 0.8,
        "alpha": 0.05,
        "attrition": 0.2,
    }
    sample.design.planning_power = 1.5
    with pytest.raises(InputError, match=r"report\.planning\.power") as err:
        sample.evaluation()
    assert step_for_error(err.value) == "design"
    sample.design.planning_power = 0.9
    outcome = sample.run()
    assert "Planning the next cohort" in outcome.files["report_md"].read_text(encoding="utf-8")


def test_zipped_and_excel_exports_are_read_as_downloaded(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "pre.zip", "w") as archive:
        archive.write(SAMPLE / "qualtrics_pre.csv", "qualtrics_pre.csv")
    frame = pd.read_csv(SAMPLE / "qualtrics_post.csv", skiprows=[1, 2], dtype=str)
    frame.to_excel(tmp_path / "post.xlsx", index=False)
    wb = Workbench(tmp_path / "project")
    wb.add_export("pre.zip", tmp_path / "pre.zip")
    wb.add_export("post.xlsx", tmp_path / "post.xlsx")
    wb.recognise()
    assert [(e.error, e.wave) for e in wb.exports] == [(None, "pre"), (None, "post")]
    assert [e.summary.rows_read for e in wb.exports if e.summary] == [240, 180]
    assert sorted(b.instrument for b in wb.chosen_blocks()) == ["gbs", "ismi29", "ucla3"]


def test_a_worksheet_other_than_the_first(tmp_path: Path) -> None:
    frame = pd.read_csv(SAMPLE / "qualtrics_post.csv", skiprows=[1, 2], dtype=str)
    with pd.ExcelWriter(tmp_path / "post.xlsx") as book:
        pd.DataFrame({"note": ["read me first"]}).to_excel(book, sheet_name="About", index=False)
        frame.to_excel(book, sheet_name="Responses", index=False)
    wb = Workbench(tmp_path / "project")
    wb.add_export("qualtrics_pre.csv", SAMPLE / "qualtrics_pre.csv")
    wb.add_export("post.xlsx", tmp_path / "post.xlsx")
    wb.exports[1].sheet = "Responses"
    wb.recognise()
    summary = wb.exports[1].summary
    assert summary is not None and summary.rows_read == 180
    assert wb.evaluation()["data"][1] == {
        "path": "post.xlsx",
        "wave": "post",
        "flavor": "qualtrics",
        "sheet": "Responses",
    }


@pytest.mark.slow
def test_a_file_holding_its_waves_side_by_side_is_scored(tmp_path: Path) -> None:
    """Each participant's pre and post answers in one row (``Pre_L_1 … Post_L_3``): the file
    is named once per wave, each wave's block mapped in its wave's section, and the run
    gives the same results as ``init`` → ``run`` on that file (before, the workbench only
    sent the user to the command line)."""
    from typer.testing import CliRunner

    from stigma_outcomes.cli.app import app

    labels = np.array(["Hardly ever", "Some of the time", "Often"])
    rng = np.random.default_rng(8)
    rows: dict[str, object] = {"id": [f"P{i:02d}" for i in range(40)]}
    for prefix in ("Pre_L_", "Post_L_"):
        rows.update({f"{prefix}{i}": labels[rng.integers(0, 3, 40)] for i in (1, 2, 3)})
    pd.DataFrame(rows).to_csv(tmp_path / "wide.csv", index=False)
    wb = Workbench(tmp_path / "project")
    wb.add_export("wide.csv", tmp_path / "wide.csv")
    wb.recognise()
    (summary,) = [e.summary for e in wb.exports]
    assert summary is not None and summary.side_by_side == ["pre", "post"]
    assert "waves side by side in each row: pre, post" in summary.lines()
    assert not [d for d in wb.doubts if "block per wave" in d]
    (block,) = wb.blocks
    assert block.instrument == "ucla3" and block.confirmed
    assert block.waves == {"wide.csv at pre": "pre", "wide.csv at post": "post"}
    assert wb.waves() == ["pre", "post"] and (wb.design.pre, wb.design.post) == ("pre", "post")
    assert wb.mapping()["waves"] == {
        "pre": {"instruments": {"ucla3": {"pattern": "Pre_L_{item}"}}},
        "post": {"instruments": {"ucla3": {"pattern": "Post_L_{item}"}}},
    }
    assert [(d["path"], d["wave"]) for d in wb.evaluation()["data"]] == [
        ("wide.csv", "pre"), ("wide.csv", "post"),
    ]  # fmt: skip
    outcome = wb.run()
    results = json.loads(outcome.files["results_json"].read_text(encoding="utf-8"))
    (paired,) = [r for r in results["paired"] if r["instrument"] == "ucla3"]
    assert paired["n_pairs"] == 40
    # the command line's own route to the same file gives the same change
    cli = tmp_path / "cli"
    cli.mkdir()
    shutil.copy(tmp_path / "wide.csv", cli / "wide.csv")
    made = CliRunner().invoke(app, ["init", str(cli / "wide.csv"), "--write-mapping",
                                    str(cli / "mapping.yaml"), "--write-evaluation",
                                    str(cli / "evaluation.yaml")])  # fmt: skip
    assert made.exit_code == 0, made.output
    again = so.run_evaluation(cli / "evaluation.yaml", cli / "out")
    theirs = json.loads(again.files["results_json"].read_text(encoding="utf-8"))
    (same,) = [r for r in theirs["paired"] if r["instrument"] == "ucla3"]
    assert same["mean_change"] == paired["mean_change"] and same["n_pairs"] == 40


def test_ids_that_lost_their_zeros_are_paired_from_the_design_step(tmp_path: Path) -> None:
    """A pre export saved from a spreadsheet holds 1 where the post export holds 001: the
    Design step's checkbox comes ticked, with the reason among the doubts; unticked, the run
    stops and leads back to that step."""
    codes = [f"{i:03d}" for i in range(1, 21)]
    rng = np.random.default_rng(5)
    labels = np.array(["Hardly ever", "Some of the time", "Often"])
    for name, ids in (("pre.xlsx", [int(c) for c in codes]), ("post.csv", codes)):
        frame = pd.DataFrame(
            {"participant_id": ids, **{f"ucla3_{k}": labels[rng.integers(0, 3, 20)]
                                        for k in (1, 2, 3)}}
        )  # fmt: skip
        if name.endswith(".xlsx"):
            frame.to_excel(tmp_path / name, index=False)
        else:
            frame.to_csv(tmp_path / name, index=False)
    wb = Workbench(tmp_path / "project")
    for name in ("pre.xlsx", "post.csv"):
        wb.add_export(name, tmp_path / name)
    wb.recognise()
    for export, wave in zip(wb.exports, ("pre", "post"), strict=True):
        export.wave = wave
    for block in wb.blocks:
        block.confirmed = True
    wb.design.pre, wb.design.post = "pre", "post"
    assert wb.design.ignore_id_zeros is True
    assert any("only when leading zeros are ignored" in d for d in wb.doubts)
    wb.design.ignore_id_zeros = False
    with pytest.raises(InputError, match="only when leading zeros are ignored") as err:
        wb.run()
    assert step_for_error(err.value) == "design"
    wb.design.ignore_id_zeros = True
    assert wb.evaluation()["ignore_id_zeros"] is True
    outcome = wb.run()
    assert outcome.summary is not None and (outcome.out_dir / "results.json").exists()


@pytest.mark.slow
def test_the_results_step_offers_the_alerts_file_only_when_there_are_alerts(
    tmp_path: Path,
) -> None:
    """A run writes alerts.csv (evaluator only) when an answer met an instrument's alert rule:
    the Results step offers it for download, and offers no button for a file not written."""
    from tests._phq9 import phq9_export

    from stigma_outcomes.app.results import DOWNLOADS, results_panel

    for hits, offered in ((17, True), (0, False)):
        folder = tmp_path / f"hits{hits}"
        folder.mkdir()
        phq9_export(folder / "phq9.csv", hits)
        wb = Workbench(folder / "project")
        wb.add_export("phq9.csv", folder / "phq9.csv")
        wb.recognise()
        for block in wb.blocks:
            block.confirmed = True
        outcome = wb.run()
        assert ("alerts" in outcome.files) is offered
        page = str(results_panel(wb, DOWNLOADS))
        assert ('id="alerts"' in page) is offered
        assert 'id="report_pdf"' in page and 'id="project_zip"' in page
