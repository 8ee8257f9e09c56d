"""IDs that differ across the waves only in letter case: refused with the way out, or paired.

The same check as lost leading zeros (``tests/ingest/test_id_zeros.py``), with another fold.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from stigma_outcomes.cli.app import app
from stigma_outcomes.errors import InputError
from stigma_outcomes.ingest import load_responses

CODES = [f"ab{i:02d}" for i in range(1, 21)]
UPPER = [f"{c.upper()} " for c in CODES]  # another case, and a space id_strings trims


def _waves(tmp_path: Path, pre_ids: list[str], post_ids: list[str]) -> list[Path]:
    rng = np.random.default_rng(5)

    def items(n: int) -> dict[str, np.ndarray]:
        return {f"ucla3_{k}": rng.integers(1, 4, n) for k in (1, 2, 3)}

    pre, post = tmp_path / "pre.csv", tmp_path / "post.csv"
    pd.DataFrame({"participant_id": pre_ids, **items(len(pre_ids))}).to_csv(pre, index=False)
    pd.DataFrame({"participant_id": post_ids, **items(len(post_ids))}).to_csv(post, index=False)
    return [pre, post]


def _load(files: list[Path], **options: object):
    return load_responses([str(f) for f in files], ["ucla3"], wave=["pre", "post"], **options)


def test_waves_kept_apart_by_letter_case_are_refused_with_the_way_out(tmp_path: Path) -> None:
    files = _waves(tmp_path, CODES, UPPER)
    with pytest.raises(InputError) as caught:
        _load(files)
    error = caught.value
    assert error.what.startswith(
        "20 participant(s) are paired across waves only when letter case is ignored, "
        "e.g. 'ab01' at pre and 'AB01' at post"
    )
    assert error.where == "pre.csv, post.csv"
    assert "casefold_ids: true" in error.fix and "--casefold-ids" in error.fix
    result = CliRunner().invoke(
        app, ["score", *map(str, files), "--wave", "pre", "--wave", "post",
              "-o", str(tmp_path / "s.csv")],
    )  # fmt: skip
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "--casefold-ids" in result.output
    assert not (tmp_path / "s.csv").exists()


def test_folding_case_pairs_everyone(tmp_path: Path) -> None:
    files = _waves(tmp_path, CODES, UPPER)
    responses = _load(files, casefold_ids=True)
    ids = responses.frame.groupby("wave", observed=True)["participant_id"].apply(
        lambda s: sorted(map(str, s))
    )
    assert ids["pre"] == ids["post"] == CODES
    assert "unmatched_participant" not in set(responses.ledger["problem"])
    result = CliRunner().invoke(
        app, ["score", *map(str, files), "--wave", "pre", "--wave", "post", "--casefold-ids",
              "-o", str(tmp_path / "s.csv")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_the_evaluation_file_folds_case_by_default(tmp_path: Path) -> None:
    """``run`` reads the evaluation file, where casefold_ids is on unless set off: nothing
    to refuse then; set off, the same refusal."""
    from stigma_outcomes.evaluation import Evaluation

    files = _waves(tmp_path, CODES, UPPER)
    data = [{"path": str(files[0]), "wave": "pre"}, {"path": str(files[1]), "wave": "post"}]
    on = Evaluation.model_validate({"data": data, "instruments": ["ucla3"]}).load_settings()
    assert on.casefold_ids is True
    assert _load(files, casefold_ids=on.casefold_ids).frame["participant_id"].nunique() == 20
    off = Evaluation.model_validate(
        {"data": data, "instruments": ["ucla3"], "casefold_ids": False}
    ).load_settings()
    with pytest.raises(InputError, match="letter case is ignored"):
        _load(files, casefold_ids=off.casefold_ids)


@pytest.mark.parametrize(
    ("pre_ids", "post_ids"),
    [
        # most people pair already: a few odd IDs are left to the unmatched ledger
        ([*CODES[:15], *UPPER[15:]], CODES),
        # 'ab01' and 'AB01' both at one wave are two people: case is not noise here
        (["ab01", "AB01", "ab02", "ab03"], ["AB02", "AB03"]),
        # IDs with no letters are never changed by folding case
        ([str(i) for i in range(1, 21)], [str(i) for i in range(21, 41)]),
    ],
)
def test_nothing_is_refused_when_case_does_not_explain_the_split(
    tmp_path: Path, pre_ids: list[str], post_ids: list[str]
) -> None:
    _load(_waves(tmp_path, pre_ids, post_ids))


def test_ids_replaced_by_pseudonyms_are_checked_as_read(tmp_path: Path) -> None:
    """Pseudonyms of 'ab01' and 'AB01' are unrelated, so the check reads the IDs as read,
    also when leading zeros are ignored; the error shows none of them, and no ID as read
    leaves ingest."""
    files = _waves(tmp_path, CODES, UPPER)
    key = bytes(range(32))
    for zeros in (False, True):
        with pytest.raises(InputError) as caught:
            _load(files, id_key=key, ignore_id_zeros=zeros)
        assert caught.value.what.startswith(
            "20 participant(s) are paired across waves only when letter case is ignored: "
        )
        assert "'ab01'" not in str(caught.value) and "AB01" not in str(caught.value)
        responses = _load(files, id_key=key, ignore_id_zeros=zeros, casefold_ids=True)
        assert not any(c.startswith("_ids") for c in responses.frame.columns)
        assert responses.frame["participant_id"].nunique() == 20
        assert "unmatched_participant" not in set(responses.ledger["problem"])


def test_both_folds_are_one_check() -> None:
    """One test, two folds: the fold that pairs them is named, zeros first."""
    from stigma_outcomes.ingest._id_folds import CASE, ZEROS, check_ids_kept

    frame = pd.DataFrame({"participant_id": ["7", "8", "007", "008"],
                          "wave": ["pre", "pre", "post", "post"]})  # fmt: skip
    with pytest.raises(InputError, match="leading zeros are ignored"):
        check_ids_kept(frame, [CASE, ZEROS])
    check_ids_kept(frame, [CASE])  # folding case pairs no one here
    frame["participant_id"] = ["Ab1", "Ab2", "aB1", "aB2"]  # no spelling already folded
    with pytest.raises(InputError) as caught:
        check_ids_kept(frame, [ZEROS, CASE])
    assert "e.g. 'Ab1' at pre and 'aB1' at post" in caught.value.what
    check_ids_kept(frame, [ZEROS])
    assert list(check_ids_kept(frame, []).columns) == ["participant_id", "wave"]
