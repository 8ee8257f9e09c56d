"""Conventions every command line shares: --version, -h, shell completion."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

import stigma_outcomes
from stigma_outcomes.cli.app import app

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_is_the_package_version(flag: str) -> None:
    done = runner.invoke(app, [flag])
    assert done.exit_code == 0
    assert done.output.strip() == f"stigma-outcomes {stigma_outcomes.__version__}"


def test_the_version_is_declared_once() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]


@pytest.mark.parametrize("args", [["-h"], ["score", "-h"], ["instruments", "list", "-h"]])
def test_short_help_flag(args: list[str]) -> None:
    done = runner.invoke(app, args)
    assert done.exit_code == 0
    assert done.output.startswith("Usage: ")


def test_shell_completion_is_offered() -> None:
    done = runner.invoke(app, ["--help"])
    assert "--install-completion" in done.output and "--show-completion" in done.output


def test_package_is_typed() -> None:
    assert (Path(stigma_outcomes.__file__).parent / "py.typed").is_file()


def _options(command: str) -> dict[str, object]:
    import typer.main

    group = typer.main.get_command(app)
    return {p.name: p for p in group.commands[command].params if p.param_type_name == "option"}


# Options whose parameter is named otherwise than the setting it sets: a repeatable option
# takes one column each time it is given.
_SETTING_OF = {"covariate": "covariates"}


@pytest.mark.parametrize(
    ("command", "model", "at_least"),
    [
        ("score", "load", {"mapping", "id_col", "wave_col", "wave", "carry", "duplicates",
                           "casefold_ids", "flavor", "sheet", "dictionary", "pii",
                           "include_previews", "include_incomplete"}),
        ("init", "load", {"flavor", "dictionary", "sheet", "include_previews",
                          "include_incomplete", "pii"}),
        ("compare", "compare", {"pre", "post", "followup", "group_by", "reference_group",
                                "covariates", "unlinked", "reliability", "direction",
                                "clinical_threshold", "rci_sd", "rci_reliability", "min_cell",
                                "pool_by", "pool_method"}),
    ],
)  # fmt: skip
def test_options_that_set_a_setting_show_its_description(
    command: str, model: str, at_least: set[str]
) -> None:
    from stigma_outcomes.comparison.settings import CompareSettings
    from stigma_outcomes.ingest.settings import LoadSettings

    fields = (LoadSettings if model == "load" else CompareSettings).model_fields
    checked = set()
    for name, option in _options(command).items():
        setting = _SETTING_OF.get(name, name)
        if setting in fields:
            assert option.help == fields[setting].description, f"{command} --{name}"
            if name not in _SETTING_OF:  # spelled as the setting (older spellings may follow)
                assert option.opts[0] == "--" + setting.replace("_", "-")  # type: ignore[attr-defined]
            checked.add(setting)
    assert checked >= at_least
    shown = runner.invoke(app, [command, "--help"], terminal_width=1000).output
    for setting in checked:
        assert str(fields[setting].description) in " ".join(shown.split())


def test_choices_are_the_settings_enums() -> None:
    from stigma_outcomes._load_choices import DuplicatePolicy
    from stigma_outcomes.comparison._choices import PoolMethod, RciReliability, RciSd

    for command, name, enum in [("score", "duplicates", DuplicatePolicy),
                                ("compare", "rci_sd", RciSd),
                                ("compare", "rci_reliability", RciReliability),
                                ("compare", "pool_method", PoolMethod)]:  # fmt: skip
        flag = "--" + name.replace("_", "-")
        shown = runner.invoke(app, [command, "--help"], terminal_width=1000).output
        assert f"{flag} <{'|'.join(e.value for e in enum)}>" in shown
        bad = runner.invoke(app, [command, "scores.csv", flag, "nope"])
        assert bad.exit_code == 2 and f"Invalid value for '{flag}'" in bad.output


@pytest.mark.parametrize(
    ("command", "new", "old"),
    [("score", "--mapping", "--map"), ("report", "--language", "--lang"),
     ("plan", "--n-covariates", "--covariates"), ("compare", "--group-by", "--group-col")],
)  # fmt: skip
def test_options_take_the_apis_name_and_keep_their_old_one(command: str, new: str, old: str):
    """``score --mapping`` as ``mapping``, ``report --language`` as the file's
    ``report.language``, ``plan --n-covariates`` as ``plan_sample_size(n_covariates=)``."""
    flags = [p.opts for p in _options(command).values()]  # type: ignore[attr-defined]
    assert [new, old] in flags


@pytest.mark.parametrize(
    "args",
    [["score", "--help"], ["instruments", "--help"], ["instruments", "list"], ["run"],
     ["compare", "--bogus"], ["scor"], ["--version"]],
)  # fmt: skip
def test_the_app_of_one_command_says_what_the_whole_app_says(args: list[str]) -> None:
    # The console script registers only the command being run (typer builds every
    # registered command before running one); help, errors and output must not change.
    from stigma_outcomes.cli.app import _only_the_command

    only = _only_the_command(app, args[:1])
    whole = runner.invoke(app, args)
    alone = runner.invoke(only, args)
    assert (alone.exit_code, alone.output) == (whole.exit_code, whole.output)
    if args[0] in ("score", "instruments", "run", "compare"):
        assert only is not app
        assert len(only.registered_commands) + len(only.registered_groups) == 1
