"""Scale facts for the statistics: from definitions, user options and scale-info files."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from stigma_outcomes.comparison.scale_facts import (
    ScaleMeta,
    load_scale_info,
    parse_assignments,
    resolve_scale_meta,
    scale_meta_from_definition,
    with_in_sample_reliability,
)
from stigma_outcomes.errors import InputError
from stigma_outcomes.instruments import Registry


def _fact(**kw):
    return SimpleNamespace(**kw)


def _stand_in_instrument():
    retest = _fact(value=0.77, source="Smith 2001", interval="2 weeks")
    alpha = _fact(value=0.9, source="Smith 2001")
    scales = [
        _fact(
            id="total",
            direction="higher_is_worse",
            range=[0, 30],
            reliability=_fact(alpha=alpha, test_retest=retest),
            norms=[_fact(population="adults", mean=10.0, sd=4.0, n=500, source="Jones 2005")],
            clinical_cutoff=_fact(value=15, operator=">=", source="manual"),
            mcid=None,
        ),
        _fact(
            id="sub",
            direction="higher_is_better",
            range=[1, 5],
            reliability=_fact(alpha=alpha, test_retest=None),
            norms=[],
            clinical_cutoff=None,
            mcid=None,
        ),
        _fact(
            id="bare",
            direction="higher_is_better",
            range=[1, 5],
            reliability=None,
            norms=[],
            clinical_cutoff=None,
            mcid=None,
        ),
    ]
    return _fact(id="demo", scales=scales)


def test_definition_prefers_test_retest_then_alpha():
    total, sub, bare = scale_meta_from_definition(_stand_in_instrument())
    assert total.reliability == 0.77
    assert total.reliability_source == "definition test-retest (Smith 2001, 2 weeks)"
    assert (total.clinical_cutoff, total.clinical_cutoff_operator) == (15.0, ">=")
    assert (total.norm_mean, total.norm_sd) == (10.0, 4.0)
    assert total.norm_source == "adults: Jones 2005"
    assert total.improvement_sign == -1
    assert sub.reliability == 0.9 and sub.reliability_source.startswith("definition alpha")
    assert sub.improvement_sign == 1
    assert bare.reliability is None and bare.range == (1.0, 5.0)


def test_real_ucla3_definition():
    (meta,) = scale_meta_from_definition(Registry().get("ucla3"))
    assert meta == ScaleMeta(
        instrument="ucla3",
        scale="total",
        direction="higher_is_worse",
        reliability=0.72,
        reliability_source=meta.reliability_source,
        clinical_cutoff=6.0,
        clinical_cutoff_operator=">=",
        clinical_cutoff_source=meta.clinical_cutoff_source,
        norm_mean=None,
        norm_sd=None,
        norm_source=None,
        range=(3.0, 9.0),
    )
    assert meta.reliability_source.startswith("definition alpha")


def test_parse_assignments_and_its_errors():
    assert parse_assignments(["a.b=0.7", "c.d = x"], "--reliability") == {
        ("a", "b"): "0.7",
        ("c", "d"): "x",
    }
    with pytest.raises(InputError, match=r"INSTRUMENT\.SCALE=VALUE"):
        parse_assignments(["ab0.7"], "--reliability")
    with pytest.raises(InputError, match=r"INSTRUMENT\.SCALE"):
        parse_assignments(["nodot=0.7"], "--reliability")


def test_overrides_win_over_the_definition():
    meta = resolve_scale_meta(
        [("ucla3", "total")],
        reliability={"ucla3.total": "0.81"},
        direction={("ucla3", "total"): "higher_is_better"},
    )[("ucla3", "total")]
    assert meta.reliability == 0.81 and meta.reliability_source == "user override"
    assert meta.direction == "higher_is_better"
    assert meta.clinical_cutoff == 6.0


def test_unknown_scale_needs_direction_and_reliability():
    with pytest.raises(InputError, match="direction is unknown") as err:
        resolve_scale_meta([("mine", "total")])
    assert "--direction mine.total" in str(err.value)
    with pytest.raises(InputError, match="no reliability"):
        resolve_scale_meta([("mine", "total")], direction={"mine.total": "higher_is_worse"})
    meta = resolve_scale_meta(
        [("mine", "total")],
        direction={"mine.total": "higher_is_worse"},
        reliability={"mine.total": 0.8},
    )[("mine", "total")]
    assert meta.direction == "higher_is_worse" and meta.reliability == 0.8


@pytest.mark.parametrize("value", ["1.2", "0", "abc", "-0.1"])
def test_bad_reliability_values_are_refused(value):
    with pytest.raises(InputError, match="between 0 and 1"):
        resolve_scale_meta([("ucla3", "total")], reliability={"ucla3.total": value})


def test_bad_direction_is_refused():
    with pytest.raises(InputError, match="higher_is_worse"):
        resolve_scale_meta([("ucla3", "total")], direction={"ucla3.total": "up"})


def test_scale_missing_from_known_instrument():
    with pytest.raises(InputError, match="has no scale 'nope'"):
        resolve_scale_meta([("ucla3", "nope")])


def test_scale_info_file(tmp_path):
    path = tmp_path / "info.yaml"
    path.write_text(
        "scales:\n"
        "  mine.total:\n"
        "    direction: higher_is_better\n"
        "    reliability: 0.75\n"
        "    clinical_cutoff: {value: 20, operator: '<', source: manual}\n"
        "    norms: {mean: 30, sd: 5, source: norms book}\n"
    )
    assert set(load_scale_info(path)) == {("mine", "total")}
    meta = resolve_scale_meta([("mine", "total")], scale_info=path)[("mine", "total")]
    assert meta.reliability == 0.75 and meta.reliability_source.startswith("user scale-info")
    assert (meta.clinical_cutoff, meta.clinical_cutoff_operator) == (20.0, "<")
    assert (meta.norm_mean, meta.norm_sd, meta.norm_source) == (30.0, 5.0, "norms book")


def test_scale_info_errors(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_scale_info(tmp_path / "none.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("scales:\n  mine.total:\n    reliability: 0.7\n")
    with pytest.raises(InputError, match="no direction"):
        resolve_scale_meta([("mine", "total")], scale_info=bad)
    op = tmp_path / "op.yaml"
    op.write_text(
        "mine.total: {direction: higher_is_worse, reliability: 0.7,"
        " clinical_cutoff: {value: 3, operator: '=>'}}\n"
    )
    with pytest.raises(InputError, match="operator"):
        resolve_scale_meta([("mine", "total")], scale_info=op)


@pytest.mark.parametrize(
    ("facts", "problem"),
    [
        ("clinical_cutoff: high", "clinical_cutoff must be a mapping"),  # found by fuzzing
        ("clinical_cutoff: {operator: '<'}", "clinical_cutoff.value"),
        ("clinical_cutoff: {value: .nan, operator: '<'}", "clinical_cutoff.value"),
        ("norms: [1, 2]", "norms must be a mapping"),
        ("norms: {mean: 30}", "norms.sd"),
        ("norms: {mean: 30, sd: 0}", "norms.sd"),
        ("range: 40", "range must be two numbers"),
        ("range: [0, 10, 20]", "range must be two numbers"),
    ],
)
def test_scale_info_of_the_wrong_shape_is_one_clear_error(tmp_path, facts, problem):
    """A nested fact of the wrong shape reached the conversion as it stood (a text where a
    mapping belongs: AttributeError); each is now refused with the scale and field named."""
    path = tmp_path / "info.yaml"
    path.write_text(f"scales:\n  mine.total:\n    direction: higher_is_better\n    {facts}\n")
    with pytest.raises(InputError, match=problem) as err:
        resolve_scale_meta([("mine", "total")], scale_info=path)
    assert "mine.total" in err.value.what and err.value.where == str(path)


def test_scale_info_given_as_a_mapping_is_checked_the_same_way():
    with pytest.raises(InputError, match="clinical_cutoff must be a mapping"):
        resolve_scale_meta(
            [("mine", "total")],
            scale_info={"mine.total": {"direction": "higher_is_better", "clinical_cutoff": 8}},
        )
    with pytest.raises(InputError, match="must be a mapping"):
        resolve_scale_meta([("mine", "total")], scale_info={"mine.total": "higher_is_better"})


def test_in_sample_alpha_replaces_definition_but_not_user_values():
    meta = resolve_scale_meta([("ucla3", "total")])
    records = [
        {"instrument": "ucla3", "scale": "total", "wave": "pre", "alpha": 0.66, "n": 40},
        {"instrument": "ucla3", "scale": "total", "wave": "post", "alpha": 0.9, "n": 35},
    ]
    updated = with_in_sample_reliability(meta, records, "pre")[("ucla3", "total")]
    assert updated.reliability == 0.66
    assert updated.reliability_source == "in-sample alpha at 'pre' (n = 40)"
    user = resolve_scale_meta([("ucla3", "total")], reliability={"ucla3.total": 0.8})
    kept = with_in_sample_reliability(user, records, "pre")[("ucla3", "total")]
    assert kept.reliability == 0.8
    undefined = [{**records[0], "alpha": None}]
    assert with_in_sample_reliability(meta, undefined, "pre") == meta


def test_the_old_module_path_still_imports() -> None:
    from stigma_outcomes.comparison import meta, scale_facts

    assert meta.resolve_scale_meta is scale_facts.resolve_scale_meta
    assert meta.ScaleMeta is scale_facts.ScaleMeta
