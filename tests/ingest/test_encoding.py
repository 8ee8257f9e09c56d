"""Encoding and delimiter sniffing on the byte patterns evaluators' files really have."""

from __future__ import annotations

import codecs

import pytest

from stigma_outcomes.ingest.encoding import sniff_delimiter, sniff_encoding

TEXT = "participant_id,notes\nP01,“drop-in” café – weekly\n"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("cp1252"), "cp1252"),
        (b"id,q1\nA,1\n", "utf-8"),
        ("id\tq1\nA\t1\n".encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_sniff_encoding_names_the_codec_that_decodes_the_file(raw: bytes, expected: str) -> None:
    sniffed = sniff_encoding(raw)
    assert sniffed.encoding == expected
    assert raw.decode(sniffed.encoding).lstrip("\ufeff").startswith("participant_id") or (
        raw.decode(sniffed.encoding).startswith("id")
    )
    assert sniffed.reason


def test_a_multibyte_character_cut_by_the_sample_end_is_still_utf8() -> None:
    raw = ("x" * 10 + "é").encode("utf-8")
    assert sniff_encoding(raw[:-1]).encoding == "utf-8"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id,q1,q2\nA,1,2\nB,2,3\n", ","),
        ("id;q1;q2\nA;1;2\n", ";"),
        ("id\tq1\tq2\nA\t1\t2\n", "\t"),
        ("id|q1\nA|1\n", "|"),
        ('id,"How often, if ever?"\nA,"Often; daily"\n', ","),
        # Kobo: semicolons between fields, commas inside a geopoint cell.
        ('start;geo;q\n2026-06-01;"[-1.29, 36.82]";x\n', ";"),
    ],
)
def test_sniff_delimiter_ignores_delimiters_inside_quotes(text: str, expected: str) -> None:
    assert sniff_delimiter(text) == expected


def test_sniff_delimiter_prefers_tab_for_tsv_when_tied() -> None:
    assert sniff_delimiter("only_one_column\nA\n", preferred="\t") == "\t"
