"""Wrong uploads get one clear message before any reader sees them."""

from __future__ import annotations

from pathlib import Path

import pytest

from stigma_outcomes.app.uploads import check_upload, safe_name
from stigma_outcomes.errors import InputError


@pytest.mark.parametrize(
    ("name", "content", "what"),
    [
        (
            "shot.png",
            b"\x89PNG\r\n\x1a\n" + bytes(8),
            "shot.png is a PNG image, not a survey export",
        ),
        (
            "scan.csv",
            b"\xff\xd8\xff\xe0" + bytes(8),
            "scan.csv is a JPEG image, not a survey export",
        ),
        (
            "report.csv",
            b"%PDF-1.7\n" + bytes(8),
            "report.csv is a PDF document, not a survey export",
        ),
        ("old.xls", b"\xd0\xcf\x11\xe0" + bytes(8), "old.xls is an old Office file (.xls or .doc)"),
        ("empty.csv", b"", "empty.csv is empty (0 bytes)"),
        ("notes.docx", b"PK\x03\x04" + bytes(8), "notes.docx is not a file type the app reads"),
    ],
)
def test_wrong_uploads(tmp_path: Path, name: str, content: bytes, what: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        check_upload(name, path, len(content), 10_000)
    assert err.value.what.startswith(what)
    assert err.value.where == name and err.value.fix


def test_exports_and_definitions_pass(tmp_path: Path) -> None:
    csv = tmp_path / "pre.csv"
    csv.write_text("id,ucla3_1\na,1\n", encoding="utf-8")
    check_upload("pre.csv", csv, csv.stat().st_size, 10_000)
    check_upload("pre.zip", csv, 10, 10_000)
    with pytest.raises(InputError, match="not a file type the app reads"):
        check_upload("pre.csv", csv, 10, 10_000, kind="definition")
    with pytest.raises(InputError, match=r"over the 0\.01 MB upload limit"):
        check_upload("pre.csv", csv, 20_000, 10_000)


def test_safe_names() -> None:
    assert safe_name("C:\\Users\\me\\pre wave.csv") == "pre_wave.csv"
    assert safe_name("../../../etc/passwd") == "passwd"
    assert safe_name("evaluation.yaml") == "upload_evaluation.yaml"
    assert safe_name("...") == "upload"
