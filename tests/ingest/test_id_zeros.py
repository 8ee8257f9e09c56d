"""IDs that lost their leading zeros in a spreadsheet: refused with the way out, or paired."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from stigma_outcomes.cli.app import app
from stigma_outcomes.errors import InputError
from stigma_outcomes.ingest import load_responses


def _waves(tmp_path: Path, pre_ids: list[object], post_ids: list[object]) -> list[Path]:
    """A pre export saved from a spreadsheet (numbers lose their zeros) and a post CSV."""
    rng = np.random.default_rng(4)

    def items(n: int) -> dict[str, np.ndarray]:
        return {f"ucla3_{k}": rng.integers(1, 4, n) for k in (1, 2, 3)}

    pre, post = tmp_path / "pre.xlsx", tmp_path / "post.csv"
    pd.DataFrame({"participant_id": pre_ids, **items(len(pre_ids))}).to_excel(pre, index=False)
    pd.DataFrame({"participant_id": post_ids, **items(len(post_ids))}).to_csv(post, index=False)
    return [pre, post]


CODES = [f"{i:03d}" for i in range(1, 21)]


def test_waves_kept_apart_by_lost_zeros_are_refused_with_the_way_out(tmp_path: Path) -> None:
    files = _waves(tmp_path, [int(c) for c in CODES], CODES)
    with pytest.raises(InputError) as caught:
        load_responses([str(f) for f in files], ["ucla3"], wave=["pre", "post"])
    error = caught.value
    assert error.what.startswith(
        "20 participant(s) are paired across waves only when leading zeros are ignored, "
        "e.g. '1' at pre and '001' at post"
    )
    assert error.where == "pre.xlsx, post.csv"
    assert "ignore_id_zeros: true" in error.fix and "--ignore-id-zeros" in error.fix
    result = CliRunner().invoke(
        app, ["score", *map(str, files), "--wave", "pre", "--wave", "post",
              "-o", str(tmp_path / "s.csv")],
    )  # fmt: skip
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_ignoring_the_zeros_pairs_everyone(tmp_path: Path) -> None:
    files = _waves(tmp_path, [int(c) for c in CODES], CODES)
    responses = load_responses(
        [str(f) for f in files], ["ucla3"], wave=["pre", "post"], ignore_id_zeros=True
    )
    ids = responses.frame.groupby("wave", observed=True)["participant_id"].apply(
        lambda s: sorted(map(str, s))
    )
    assert ids["pre"] == ids["post"] == sorted(str(int(c)) for c in CODES)
    assert "unmatched_participant" not in set(responses.ledger["problem"])


@pytest.mark.parametrize(
    ("pre_ids", "post_ids"),
    [
        # most people pair already: a few odd IDs are left to the unmatched ledger
        ([*CODES[:15], *(int(c) for c in CODES[15:])], CODES),
        # '7' and '007' both at one wave are two people: zeros are not noise here (without
        # '007', '8' ↔ '0008' and '9' ↔ '0009' would be refused)
        (["7", "007", "8", "9"], ["0008", "0009"]),
        # IDs that are not all digits are never touched
        ([f"P{i}" for i in range(1, 21)], [f"P{i:03d}" for i in range(1, 21)]),
    ],
)
def test_nothing_is_refused_when_zeros_do_not_explain_the_split(
    tmp_path: Path, pre_ids: list[object], post_ids: list[object]
) -> None:
    files = _waves(tmp_path, pre_ids, post_ids)
    load_responses([str(f) for f in files], ["ucla3"], wave=["pre", "post"])


def test_the_evaluation_file_names_the_setting(tmp_path: Path) -> None:
    from stigma_outcomes.evaluation import Evaluation

    evaluation = Evaluation.model_validate(
        {"data": [{"path": "pre.xlsx", "wave": "pre"}, {"path": "post.csv", "wave": "post"}],
         "instruments": ["ucla3"], "ignore_id_zeros": True}
    )  # fmt: skip
    assert evaluation.load_settings().ignore_id_zeros is True


def test_ids_replaced_by_pseudonyms_are_checked_as_read(tmp_path: Path) -> None:
    """Pseudonyms of '1' and '001' are unrelated, so the check reads the IDs as they were
    read; the error then shows none of them, and no ID as read leaves ingest."""
    files = _waves(tmp_path, [int(c) for c in CODES], CODES)
    key = bytes(range(32))
    with pytest.raises(InputError) as caught:
        load_responses([str(f) for f in files], ["ucla3"], wave=["pre", "post"], id_key=key)
    assert caught.value.what.startswith(
        "20 participant(s) are paired across waves only when leading zeros are ignored: "
    )
    assert "'001'" not in str(caught.value) and "'1'" not in str(caught.value)
    responses = load_responses(
        [str(f) for f in files], ["ucla3"], wave=["pre", "post"], id_key=key,
        ignore_id_zeros=True,
    )  # fmt: skip
    assert list(responses.frame.columns[:2]) == ["participant_id", "wave"]
    assert not any(c.startswith("_ids") for c in responses.frame.columns)
    assert responses.frame["participant_id"].nunique() == 20
    assert "unmatched_participant" not in set(responses.ledger["problem"])
    # most pair already: nothing refused, and the IDs as read are gone from the rows
    mixed = _waves(tmp_path, [*CODES[:15], *(int(c) for c in CODES[15:])], CODES)
    kept = load_responses([str(f) for f in mixed], ["ucla3"], wave=["pre", "post"], id_key=key)
    assert not any(c.startswith("_ids") for c in kept.frame.columns)
    assert not set(kept.frame["participant_id"].astype(str)) & {*CODES, "16"}
