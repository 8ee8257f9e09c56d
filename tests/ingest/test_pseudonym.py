"""HMAC-SHA-256 pseudonyms: stable, keyed, normalised, and the key never leaks."""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd
import pytest

from stigma_outcomes.errors import InputError
from stigma_outcomes.ingest.pseudonym import ENV_VAR, load_id_key, pseudonymise

KEY = b"0123456789abcdef-project-key"


def test_matches_hmac_sha256_of_the_trimmed_id() -> None:
    expected = "P-" + hmac.new(KEY, b"SP-0007", hashlib.sha256).hexdigest()[:16]
    assert pseudonymise([" SP-0007 "], KEY).tolist() == [expected]


def test_stable_across_waves_and_different_under_another_key() -> None:
    pre = pseudonymise(["A1", "B2", "C3"], KEY)
    post = pseudonymise(["C3", "A1"], KEY)
    assert post.tolist() == [pre[2], pre[0]]
    other = pseudonymise(["A1"], b"another-project-key-0000")
    assert other[0] != pre[0]


def test_case_folding_only_when_asked_and_missing_stays_missing() -> None:
    ids = pd.Series(["ann@example.org", "Ann@Example.org", None, float("nan"), "  "])
    plain = pseudonymise(ids, KEY)
    assert plain[0] != plain[1]
    assert plain[2:].isna().all()
    folded = pseudonymise(ids, KEY, casefold=True)
    assert folded[0] == folded[1]


def test_numeric_ids_from_spss_hash_like_their_text() -> None:
    assert pseudonymise([1001.0], KEY)[0] == pseudonymise(["1001"], KEY)[0]


def test_key_from_file_or_environment(tmp_path) -> None:
    key_file = tmp_path / "id.key"
    key_file.write_text("a-long-secret-from-a-file-2026\n", encoding="utf-8")
    assert load_id_key(key_file) == b"a-long-secret-from-a-file-2026"
    assert load_id_key(environ={ENV_VAR: "env-secret-of-enough-length"}) == (
        b"env-secret-of-enough-length"
    )


def test_missing_short_or_unreadable_keys_are_user_errors(tmp_path) -> None:
    with pytest.raises(InputError, match="no key was given"):
        load_id_key(environ={})
    with pytest.raises(InputError, match="too short"):
        load_id_key(environ={ENV_VAR: "short"})
    with pytest.raises(InputError, match="cannot read the ID key file"):
        load_id_key(tmp_path / "absent.key")
    with pytest.raises(InputError, match="at least 16 bytes"):
        pseudonymise(["A"], b"tiny")


def test_the_key_is_not_in_the_pseudonyms() -> None:
    out = pseudonymise([f"P{i:03d}" for i in range(200)], KEY, length=32)
    assert out.nunique() == 200
    assert not any(KEY.decode() in p for p in out)


def test_pseudonymised_linking_column_links_waves_and_is_no_longer_personal() -> None:
    import numpy as np

    import stigma_outcomes as so
    from stigma_outcomes.ingest.pseudonym import pseudonymise_table
    from stigma_outcomes.ingest.readers import read_export

    from ._exports import EXPORTS

    table = read_export(EXPORTS / "qualtrics_choice_text.csv")
    assert "ExternalReference" in table.pii_columns
    safe = pseudonymise_table(table, "ExternalReference", KEY)
    assert "ExternalReference" not in safe.pii_columns
    assert safe.frame["ExternalReference"].str.startswith("P-").all()
    assert not safe.frame["ExternalReference"].isin(table.frame["ExternalReference"]).any()
    assert np.array_equal(safe.row_numbers, table.row_numbers)
    result = so.score(
        safe,
        ["ucla3"],
        mapping={"instruments": {"ucla3": {"pattern": "Q5_{item}"}}},
        id_col="ExternalReference",
        wave="pre",
    )
    assert len(result.scores["participant_id"].unique()) == 4  # CL-4472 answered twice
    assert not result.scores["participant_id"].str.startswith("CL-").any()
    with pytest.raises(InputError, match="'ClientID' to pseudonymise"):
        pseudonymise_table(table, "ClientID", KEY)
