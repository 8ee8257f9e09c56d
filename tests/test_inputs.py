"""Every input is checked before it is read (issue 18): special files, sizes, encodings,
duplicate YAML keys, alias bombs and hostile zips are one clear error each."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from stigma_outcomes import _inputs
from stigma_outcomes._inputs import (
    check_input_file,
    load_yaml_text,
    open_zip,
    read_text_file,
    read_yaml_file,
)
from stigma_outcomes.errors import InputError
from stigma_outcomes.evaluation import load_evaluation
from stigma_outcomes.ingest import read_export


def test_a_fifo_is_refused_without_reading_it(tmp_path: Path) -> None:
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        read_export(fifo)


def test_a_device_is_refused() -> None:
    with pytest.raises(InputError, match="not a regular file"):
        check_input_file("/dev/zero", "export")


def test_a_folder_and_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        check_input_file(tmp_path, "mapping file")
    with pytest.raises(InputError, match="not found"):
        check_input_file(tmp_path / "nope.yaml", "mapping file")


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "e.yaml"
    big.write_bytes(b"#" * 2048)
    with pytest.raises(InputError, match="too large"):
        read_text_file(big, "evaluation file", limit=1024)


@pytest.mark.parametrize("value", ["abc", "-5", "", "0", "nan", "inf", "2,048"])
def test_a_bad_size_limit_in_the_environment_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    # Before, the variable was read as an int when the package was imported: a ValueError
    # traceback (exit 1) for 'abc', '0.01' or '' from any command.
    export = tmp_path / "pre.csv"
    export.write_text("pid,ucla3_1\na,1\n")
    monkeypatch.setenv("STIGMA_OUTCOMES_MAX_INPUT_MB", value)
    with pytest.raises(InputError) as caught:
        check_input_file(export, "export file")
    assert caught.value.what.startswith("STIGMA_OUTCOMES_MAX_INPUT_MB ")
    assert "environment variable" in caught.value.where
    assert "unset it for the default of 2048 MB" in caught.value.fix


def test_the_size_limit_may_be_a_fraction_of_a_mb(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = tmp_path / "pre.csv"
    export.write_bytes(b"pid,x\n" + b"a,1\n" * 5_000)  # 20 KB
    monkeypatch.setenv("STIGMA_OUTCOMES_MAX_INPUT_MB", "0.01")
    with pytest.raises(InputError, match=r"too large \(19.5 KB; the limit is 10.2 KB\)") as caught:
        check_input_file(export, "export file")
    assert "(now '0.01' MB)" in caught.value.fix
    monkeypatch.setenv("STIGMA_OUTCOMES_MAX_INPUT_MB", " 0.5 ")
    assert check_input_file(export, "export file") == export
    assert _inputs.max_input_bytes() == 512 * 1024
    monkeypatch.delenv("STIGMA_OUTCOMES_MAX_INPUT_MB")
    assert _inputs.max_input_bytes() == 2048 * 1024 * 1024


def test_latin1_evaluation_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "evaluation.yaml"
    text = (
        "title: Évaluation à Montréal\n"
        "data:\n  - {path: pre.csv, wave: pre}\ninstruments: [ucla3]\n"
    )
    path.write_bytes(text.encode("latin-1"))
    ev, _ = load_evaluation(path)
    assert ev.title == "Évaluation à Montréal"


def test_utf16_yaml_is_read(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_bytes("id_column: pcode\n".encode("utf-16"))
    assert read_yaml_file(path) == {"id_column": "pcode"}


def test_duplicate_keys_are_refused_at_any_depth(tmp_path: Path) -> None:
    path = tmp_path / "evaluation.yaml"
    path.write_text(
        "id_column: pcode\ndata:\n  - {path: pre.csv, wave: pre}\n"
        "instruments: [ucla3]\nid_column: site\n"
    )
    with pytest.raises(InputError, match="'id_column' appears twice"):
        load_evaluation(path)
    with pytest.raises(InputError, match="line 3"):
        load_yaml_text("a:\n  b: 1\n  b: 2\n", "m.yaml")


def test_merge_keys_are_not_duplicates() -> None:
    assert load_yaml_text("x: &x {a: 1}\ny:\n  <<: *x\n  b: 2\n", "m")["y"] == {"a": 1, "b": 2}


def test_an_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    path = tmp_path / "mapping.yaml"
    path.write_text("\n".join(lines) + "\n")
    assert path.stat().st_size < 2000  # 10 ** 10 values described in under 2 KB
    with pytest.raises(InputError, match="expands to more than"):
        read_yaml_file(path)


@pytest.mark.parametrize("parser", ["libyaml", "pyyaml"])
def test_both_parsers_read_alike_and_refuse_alike(parser: str) -> None:
    # libyaml parses when PyYAML has it; PyYAML's own parser is the fallback.
    import yaml

    from stigma_outcomes import _safe_yaml
    from stigma_outcomes.instruments.registry import _Loader

    make = _safe_yaml._bounded_loader if parser == "libyaml" else _safe_yaml._composing_loader
    if parser == "libyaml" and not hasattr(yaml, "CSafeLoader"):
        pytest.skip("this PyYAML was built without libyaml")

    def load(text: str, base: type = yaml.SafeLoader) -> object:
        return yaml.load(text, Loader=make(base))

    text = "a: &x {b: [1, 2.5, 'No', No, true, ~]}\nc:\n  <<: *x\n  d: 2026-01-02\n"
    assert load(text) == yaml.load(text, Loader=yaml.SafeLoader)
    # a base loader's own resolvers still decide: 'No' stays text for instruments
    assert load("x: No\ny: true\n", _Loader) == {"x": "No", "y": True}
    with pytest.raises(yaml.YAMLError, match="appears twice") as dup:
        load("a:\n  b: 1\n  b: 2\n")
    assert dup.value.problem_mark.line == 2
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    bomb += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    with pytest.raises(yaml.YAMLError, match="expands to more than"):
        load("\n".join(bomb))


def test_the_mapping_and_instrument_readers_use_the_checks(tmp_path: Path) -> None:
    from stigma_outcomes.errors import DefinitionError
    from stigma_outcomes.ingest.mapping import load_mapping
    from stigma_outcomes.instruments.registry import read_yaml

    dup = tmp_path / "mapping.yaml"
    dup.write_text("id_column: a\nid_column: b\n")
    with pytest.raises((InputError, DefinitionError), match="appears twice"):
        load_mapping(dup)
    with pytest.raises(DefinitionError, match="appears twice"):
        read_yaml(dup)
    os.mkfifo(tmp_path / "fifo.yaml")
    with pytest.raises(InputError, match="not a regular file"):
        read_yaml(tmp_path / "fifo.yaml")


def _zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_corrupt_zip(tmp_path: Path) -> None:
    path = _zip(tmp_path / "x.zip", {"pre.csv": b"id,q\n" + b"A,1\n" * 2000})
    data = bytearray(path.read_bytes())
    data[60:200] = b"\xff" * 140  # damage the compressed stream, keep the directory
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="damaged"):
        read_export(path)
    (tmp_path / "y.zip").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(InputError, match="damaged"):
        read_export(tmp_path / "y.zip")


def test_encrypted_zip(tmp_path: Path) -> None:
    path = _zip(tmp_path / "x.zip", {"pre.csv": b"id,q\nA,1\n"}, zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    # Set the "encrypted" flag bit in the local and central headers.
    for sig in (b"PK\x03\x04", b"PK\x01\x02"):
        at = data.find(sig)
        flag_at = at + (6 if sig == b"PK\x03\x04" else 8)
        data[flag_at] |= 0x1
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="encrypted"):
        read_export(path)


def test_unsupported_compression_method(tmp_path: Path) -> None:
    path = _zip(tmp_path / "x.zip", {"pre.csv": b"id,q\nA,1\n"}, zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    for sig, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        at = data.find(sig)
        data[at + offset] = 99  # AES (method 99): not something zipfile can expand
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="compression method"):
        read_export(path)


def test_zip_bombs_and_crowds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = _zip(tmp_path / "bomb.zip", {"pre.csv": b"0" * (8 * 1024 * 1024)})
    with pytest.raises(InputError, match="expands to too much"):
        open_zip(bomb)
    monkeypatch.setattr(_inputs, "MAX_ZIP_MEMBERS", 3)
    crowd = _zip(tmp_path / "crowd.zip", {f"f{i}.txt": b"x" for i in range(5)})
    with pytest.raises(InputError, match="holds 5 files"):
        open_zip(crowd)


def test_a_good_zip_still_reads(tmp_path: Path) -> None:
    path = _zip(tmp_path / "x.zip", {"pre.csv": b"id,q1\nA,1\nB,2\n"})
    assert len(read_export(path).frame) == 2


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_a_ragged_row_that_is_not_utf8_is_one_error_and_prints_nothing(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    # Found by the fuzz suite: pyarrow decodes the bad row as UTF-8 inside its callback and
    # Python printed "Exception ignored ... UnicodeDecodeError" with a traceback.
    path = tmp_path / "x.csv"
    # Past the 64 KB the encoding is sniffed from, so the file is first read as UTF-8.
    path.write_bytes(b"id,q1,q2\n" + b"A,1,2\n" * 15000 + b"B,\xf9\xfa,2,9,9\n" + b"C,1,2\n")
    with pytest.raises(InputError, match="row has 5 cells"):
        read_export(path)
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Exception ignored" not in err
