"""Finding definitions: built-in, user folders, the environment variable, single files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from stigma_outcomes.errors import DefinitionError, InputError
from stigma_outcomes.instruments import Registry, json_schema, list_instruments, load_instrument
from stigma_outcomes.instruments.registry import ENV_VAR, builtin_dir

REPO = Path(__file__).resolve().parents[2]


def test_core_instruments_are_built_in() -> None:
    ids = {i.id for i in list_instruments()}
    assert {"ucla3", "ismi29", "gbs"} <= ids


def test_unknown_id_suggests_close_matches() -> None:
    with pytest.raises(InputError) as info:
        load_instrument("ismi-29")
    assert "unknown instrument 'ismi-29'" in info.value.what
    assert "'ismi29'" in info.value.fix


def _user_copy(folder: Path, new_id: str) -> Path:
    text = (builtin_dir() / "ucla3.yaml").read_text().replace("id: ucla3", f"id: {new_id}")
    path = folder / f"{new_id}.yaml"
    path.write_text(text)
    return path


def test_user_folder_and_environment_variable(tmp_path: Path, monkeypatch) -> None:
    mine = tmp_path / "mine"
    env = tmp_path / "env"
    mine.mkdir()
    env.mkdir()
    _user_copy(mine, "myloneliness")
    _user_copy(env, "envloneliness")
    monkeypatch.setenv(ENV_VAR, str(env))
    registry = Registry([mine])
    assert {"myloneliness", "envloneliness", "ucla3"} <= set(registry.ids)
    assert registry.get("myloneliness").scale("total").range == (3, 9)


def test_two_definitions_with_one_id_are_refused(tmp_path: Path) -> None:
    shutil.copy(builtin_dir() / "ucla3.yaml", tmp_path / "ucla3.yaml")
    with pytest.raises(DefinitionError, match="two definitions share the id 'ucla3'"):
        Registry([tmp_path])


def test_file_name_must_match_id(tmp_path: Path) -> None:
    path = tmp_path / "other.yaml"
    path.write_text((builtin_dir() / "ucla3.yaml").read_text())
    with pytest.raises(DefinitionError, match="does not match the definition's id"):
        load_instrument(path)


def test_missing_user_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="instruments folder not found"):
        Registry([tmp_path / "nope"])


def test_load_by_path(tmp_path: Path) -> None:
    path = _user_copy(tmp_path, "pathloneliness")
    assert load_instrument(str(path)).id == "pathloneliness"


def test_committed_json_schema_is_current() -> None:
    committed = (REPO / "instruments" / "schema.json").read_text()
    expected = json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
    assert committed == expected, (
        'instruments/schema.json is stale; regenerate it with: python -c "import json; '
        "from stigma_outcomes.instruments import json_schema; open('instruments/schema.json',"
        "'w').write(json.dumps(json_schema(), indent=2, sort_keys=True) + '\\n')\""
    )


def test_resolve_reads_ids_paths_and_definitions_once(tmp_path: Path) -> None:
    import shutil

    from stigma_outcomes.instruments import Registry, builtin_dir, load_instrument

    shutil.copy(builtin_dir() / "gbs.yaml", tmp_path / "gbs.yaml")
    resolved = Registry().resolve(
        ["ucla3", "gbs.yaml", load_instrument("ucla3"), "gbs"], base=tmp_path
    )
    assert [i.id for i in resolved] == ["ucla3", "gbs"]


def test_score_accepts_a_definition_path_for_item_responses(tmp_path: Path) -> None:
    import shutil

    import pandas as pd

    import stigma_outcomes as so
    from stigma_outcomes.instruments import builtin_dir

    path = tmp_path / "ucla3.yaml"
    shutil.copy(builtin_dir() / "ucla3.yaml", path)
    df = pd.DataFrame({"id": ["a"], "ucla3_1": [1], "ucla3_2": [2], "ucla3_3": [3]})
    responses = so.load_responses(df, [str(path)])
    assert set(so.score(responses, [str(path)]).scores["instrument"]) == {"ucla3"}


def test_a_domain_of_ones_own_validates_and_scores(tmp_path: Path) -> None:
    """The domain vocabulary is documented, not closed: a user's own domain is accepted."""
    import pandas as pd
    import yaml

    import stigma_outcomes as so
    from stigma_outcomes.instruments.catalogue import render_catalogue

    definition = yaml.safe_load((builtin_dir() / "ucla3.yaml").read_text(encoding="utf-8"))
    definition["id"] = "satisfaction3"
    definition["domain"] = "programme_satisfaction"
    path = tmp_path / "satisfaction3.yaml"
    path.write_text(yaml.safe_dump(definition, allow_unicode=True), encoding="utf-8")
    inst = load_instrument(path)
    assert inst.domain == "programme_satisfaction"
    df = pd.DataFrame(
        {"id": ["a"], "satisfaction3_1": [1], "satisfaction3_2": [2], "satisfaction3_3": [3]}
    )
    assert so.score(df, [inst]).scores["score"].tolist() == [6.0]
    assert "programme satisfaction" in render_catalogue([load_instrument("ucla3"), inst])
