"""The evaluation file: one YAML that says what to read, how to score it and what to report.

The model is pydantic, so a mistake is caught before any work starts and reported as one
clear error naming the file, the field and what is wrong; its JSON Schema is published as
``schemas/evaluation.schema.json`` so editors can autocomplete and check it.

Example (``data/sample/evaluation.yaml``)::

    title: Peer Connect outcome report
    program: Peer Connect peer-support groups
    period: March to June 2025
    data:
      - {path: qualtrics_pre.csv, wave: pre}
      - {path: qualtrics_post.csv, wave: post}
    instruments: [ucla3, ismi29, gbs]
    mapping: mapping.yaml
    id_col: pcode
    group_by: arm
    output: outputs
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

if TYPE_CHECKING:
    from .report.content import ReportSettings

from ._evaluation_paths import evaluation_folder
from ._settings import first_problem, old_names_in_schema, rename_old_spellings
from .comparison.settings import (
    CompareSettings,
    Direction,
    PoolMethod,
    RciReliability,
    RciSd,
    reliability_in_range,
    scale_keys,
    setting_description,
)
from .errors import InputError
from .ingest.settings import (
    DuplicatePolicy,
    LoadSettings,
    file_waves,
    load_setting_description,
)
from .report.asks.options import CostOptions as CostOptions  # re-exported: reached from here
from .report.asks.options import DoseOptions as DoseOptions
from .report.asks.options import NarrativeOptions as NarrativeOptions
from .report.asks.options import NormsOptions as NormsOptions
from .report.asks.options import Target as Target
from .report.asks.options import VoicesOptions as VoicesOptions
from .report.asks.options import WhoOptions as WhoOptions
from .report.options import PlanningOptions as PlanningOptions
from .report.options import ReportOptions

# Old spellings of the file's keys (still read, deprecated) and the names that replaced them:
# the file now says what the API and the command line say.
OLD_KEYS = {"groups": "group_by", "id_column": "id_col"}
OLD_DATA_KEYS = {"wave_column": "wave_col"}
OLD_PRIVACY_KEYS = {"threshold": "min_cell", "personal_columns": "pii"}


class DataFile(BaseModel):
    """One export file and the wave it holds (or the column that holds the wave)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=old_names_in_schema(OLD_DATA_KEYS))

    path: str = Field(description="Export file, relative to the evaluation file's folder.")
    wave: str | None = Field(None, description="Wave of every row in this file (e.g. 'pre').")
    wave_col: str | None = Field(None, description=load_setting_description("wave_col"))
    flavor: str | None = Field(None, description=load_setting_description("flavor"))
    dictionary: str | None = Field(None, description=load_setting_description("dictionary"))
    sheet: str | int | None = Field(None, description=load_setting_description("sheet"))

    @model_validator(mode="before")
    @classmethod
    def _old_keys(cls, data: Any) -> Any:
        return rename_old_spellings(data, OLD_DATA_KEYS)

    @property
    def wave_column(self) -> str | None:
        """Deprecated name of :attr:`wave_col`."""
        return self.wave_col


class Waves(BaseModel):
    """Which waves are compared."""

    model_config = ConfigDict(extra="forbid")

    pre: str = Field("pre", description=setting_description("pre"))
    post: str = Field("post", description=setting_description("post"))
    followup: list[str] = Field(default_factory=list, description=setting_description("followup"))
    rename: dict[str, str] = Field(
        default_factory=dict,
        description="Map wave values in the data to wave names (e.g. baseline_arm_1: pre).",
    )


class Privacy(BaseModel):
    """Privacy settings for everything meant for others."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra=old_names_in_schema(OLD_PRIVACY_KEYS)
    )

    min_cell: int = Field(
        5,
        ge=1,
        le=100,
        description="Privacy limit (the API's and the command line's min_cell): counts below "
        "this are shown as '<n', and records resting on fewer people are suppressed.",
    )
    pii: list[str] = Field(default_factory=list, description=load_setting_description("pii"))

    @model_validator(mode="before")
    @classmethod
    def _old_keys(cls, data: Any) -> Any:
        return rename_old_spellings(data, OLD_PRIVACY_KEYS)

    @property
    def threshold(self) -> int:
        """Deprecated name of :attr:`min_cell`."""
        return self.min_cell

    @property
    def personal_columns(self) -> list[str]:
        """Deprecated name of :attr:`pii`."""
        return self.pii


class Evaluation(BaseModel):
    """Everything ``stigma-outcomes run`` needs.

    Examples
    --------
    >>> ev = Evaluation.model_validate({"data": [{"path": "pre.csv", "wave": "pre"},
    ...                                          {"path": "post.csv", "wave": "post"}],
    ...                                 "instruments": ["ucla3"]})
    >>> ev.waves.pre, ev.privacy.min_cell
    ('pre', 5)
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra=old_names_in_schema(OLD_KEYS))

    title: str = Field("Programme outcome report", description="Report title.")
    program: str | None = Field(None, description="Programme name, printed on the summary.")
    period: str | None = Field(None, description="Period covered, e.g. 'March to June 2025'.")
    data: list[DataFile] = Field(min_length=1, description="Export files, one per wave or long.")
    instruments: list[str] = Field(min_length=1, description="Instrument ids or YAML paths.")
    # Reading and binding: LoadSettings' names and meanings (ingest/settings.py);
    # load_settings() builds that model from these fields.
    mapping: str | None = Field(
        None, description="Relative to this file. " + load_setting_description("mapping")
    )
    id_col: str | None = Field(None, description=load_setting_description("id_col"))
    casefold_ids: bool = Field(
        True, description=load_setting_description("casefold_ids") + " On by default here."
    )
    ignore_id_zeros: bool = Field(False, description=load_setting_description("ignore_id_zeros"))
    duplicates: DuplicatePolicy = Field(
        DuplicatePolicy.keep_last_complete, description=load_setting_description("duplicates")
    )
    carry: list[str] = Field(default_factory=list, description=load_setting_description("carry"))
    # The comparison's settings: names, meanings and checks are CompareSettings' own
    # (comparison/settings.py); compare_settings() builds that model from these fields.
    group_by: str | None = Field(None, description=setting_description("group_by"))
    reference_group: str | None = Field(None, description=setting_description("reference_group"))
    covariates: list[str] = Field(
        default_factory=list, description=setting_description("covariates")
    )
    pool_by: str | None = Field(None, description=setting_description("pool_by"))
    pool_method: PoolMethod = Field(PoolMethod.REML, description=setting_description("pool_method"))
    unlinked: bool = Field(False, description=setting_description("unlinked"))
    reliability: dict[str, float] = Field(
        default_factory=dict, description=setting_description("reliability")
    )
    direction: dict[str, Direction] = Field(
        default_factory=dict, description=setting_description("direction")
    )
    clinical_threshold: dict[str, float] = Field(
        default_factory=dict, description=setting_description("clinical_threshold")
    )
    rci_reliability: RciReliability = Field(
        RciReliability.auto, description=setting_description("rci_reliability")
    )
    rci_sd: RciSd = Field(RciSd.baseline, description=setting_description("rci_sd"))
    waves: Waves = Field(default_factory=Waves)
    privacy: Privacy = Field(default_factory=Privacy)
    report: ReportOptions = Field(default_factory=ReportOptions)
    output: str = Field("outputs", description="Output folder, relative to this file.")

    @model_validator(mode="before")
    @classmethod
    def _old_keys(cls, data: Any) -> Any:
        return rename_old_spellings(data, OLD_KEYS)

    @field_validator("title", "program", "period", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        # YAML reads `period: 2025` as a number; it is meant as text.
        return (
            str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
        )

    # The same checks as CompareSettings', run here so a mistake names the file's field.
    @field_validator("reliability", "direction", "clinical_threshold")
    @classmethod
    def _scale_keys(cls, value: dict[str, Any]) -> dict[str, Any]:
        return scale_keys(value)

    @field_validator("reliability")
    @classmethod
    def _reliability_range(cls, value: dict[str, float]) -> dict[str, float]:
        return reliability_in_range(value)

    @property
    def groups(self) -> str | None:
        """Deprecated name of :attr:`group_by`."""
        return self.group_by

    @property
    def id_column(self) -> str | None:
        """Deprecated name of :attr:`id_col`."""
        return self.id_col

    def compare_settings(self) -> CompareSettings:
        """The comparison this file asks for, as the API's and the CLI's settings model.

        Examples
        --------
        >>> ev = Evaluation.model_validate({"data": [{"path": "a.csv", "wave": "pre"}],
        ...     "instruments": ["ucla3"], "group_by": "arm", "privacy": {"min_cell": 7}})
        >>> s = ev.compare_settings()
        >>> s.group_by, s.min_cell, s.pre, s.post
        ('arm', 7, 'pre', 'post')
        """
        return CompareSettings.build(
            "evaluation file",
            pre=self.waves.pre,
            post=self.waves.post,
            followup=self.waves.followup,
            unlinked=self.unlinked,
            group_by=self.group_by,
            reference_group=self.reference_group,
            covariates=self.covariates,
            pool_by=self.pool_by,
            pool_method=self.pool_method,
            reliability=self.reliability,
            direction=self.direction,
            clinical_threshold=self.clinical_threshold,
            rci_reliability=self.rci_reliability,
            rci_sd=self.rci_sd,
            min_cell=self.privacy.min_cell,
        )

    def report_settings(self) -> ReportSettings:
        """What the report is about and who wrote it, as the report's settings.

        Examples
        --------
        >>> ev = Evaluation.model_validate({"data": [{"path": "a.csv", "wave": "pre"}],
        ...     "instruments": ["ucla3"], "title": "T", "privacy": {"min_cell": 7}})
        >>> ev.report_settings().min_cell
        7
        """
        from .report.content import ReportSettings

        return ReportSettings(
            title=self.title,
            program=self.program,
            period=self.period,
            author=self.report.author,
            language=self.report.language,
            keywords=self.report.keywords,
            min_cell=self.privacy.min_cell,
            date=self.report.date,
        )

    def load_settings(self, base: Path | None = None) -> LoadSettings:
        """How this file asks its exports to be read and bound, as a
        :class:`~stigma_outcomes.ingest.settings.LoadSettings`: the mapping resolved against
        ``base`` (this file's folder), the waves of ``data``, and the grouping, pooling and
        covariate columns carried too. Each entry's flavour, sheet and dictionary stay with it.

        >>> ev = Evaluation.model_validate({"data": [{"path": "a.csv", "wave": "pre"}],
        ...     "instruments": ["ucla3"], "id_col": "pcode", "group_by": "arm"})
        >>> s = ev.load_settings()
        >>> s.id_col, s.wave, s.carry, s.casefold_ids, s.unlinked
        ('pcode', ('pre',), ('arm',), True, False)
        """
        from .ingest.conventions import ROW_ID

        if self.id_col == ROW_ID and not self.unlinked:
            # LoadSettings refuses it too, but names its own settings, not this file's keys.
            raise InputError(
                f"id_col: '{ROW_ID}' numbers rows as respondents, and a row number is not a "
                "person: the waves cannot be paired by it",
                where="evaluation file, id_col",
                fix="set id_col to the column holding each participant's ID; or, for "
                "anonymous before/after surveys whose people cannot be linked, keep "
                f"id_col: '{ROW_ID}' and add unlinked: true",
            )
        mapping: str | Path | None = self.mapping
        if mapping is not None and base is not None:
            mapping = base / mapping
        grouping = [c for c in (self.group_by, self.pool_by) if c]
        return LoadSettings.build(
            "evaluation file",
            mapping=mapping,
            id_col=self.id_col,
            carry=list(dict.fromkeys([*self.carry, *grouping, *self.covariates])),
            duplicates=self.duplicates,
            casefold_ids=self.casefold_ids,
            ignore_id_zeros=self.ignore_id_zeros,
            unlinked=self.unlinked,
            pii=self.privacy.pii,
            **file_waves([f.wave for f in self.data], [f.wave_col for f in self.data]),
        )

    @field_validator("data")
    @classmethod
    def _wave_given(cls, files: list[DataFile]) -> list[DataFile]:
        for i, f in enumerate(files):
            if f.wave is None and f.wave_col is None:
                raise ValueError(f"data[{i}] ({f.path}) needs either 'wave' or 'wave_col'")
        return files


def evaluation_json_schema() -> dict[str, Any]:
    """The JSON Schema of the evaluation file (published as ``schemas/evaluation.schema.json``)."""
    schema = Evaluation.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "stigma_outcomes evaluation file"
    return schema


def load_evaluation(
    source: str | os.PathLike[str] | dict[str, Any] | Evaluation,
) -> tuple[Evaluation, Path]:
    """Read and validate an evaluation file; return it with the folder paths are relative to.

    Raises
    ------
    InputError
        Unreadable YAML or a field that fails validation (one message naming the field).
    """
    if isinstance(source, Evaluation):
        return source, Path.cwd()
    if isinstance(source, dict):
        return _validate(source, "<dict>"), Path.cwd()
    from ._inputs import read_yaml_file

    path = Path(source)
    if not path.exists():
        raise InputError(
            f"evaluation file not found: {path}",
            where=str(path),
            fix="check the path, or run 'stigma-outcomes demo' to see a working example",
        )
    # A regular file of sensible size, decoded like an export, duplicate keys refused.
    raw = read_yaml_file(path, "evaluation file")
    if not isinstance(raw, dict):
        raise InputError(
            "the evaluation file must be a YAML mapping of settings",
            where=str(path),
            fix="start from data/sample/evaluation.yaml",
        )
    return _validate(raw, str(path)), evaluation_folder(path)


def _validate(raw: dict[str, Any], where: str) -> Evaluation:
    try:
        return Evaluation.model_validate(raw)
    except ValidationError as err:
        field, message = first_problem(err)
        more = len(err.errors()) - 1
        extra = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise InputError(
            f"evaluation file{f' field {field!r}' if field else ''}: {message}{extra}",
            where=where,
            fix="see schemas/evaluation.schema.json for every field and its meaning",
        ) from None


def write_schema(path: str | os.PathLike[str]) -> Path:
    """Write the evaluation JSON Schema (sorted, stable) to ``path``."""
    from ._io import write_text_atomic

    text = json.dumps(evaluation_json_schema(), indent=2, sort_keys=True, ensure_ascii=False)
    return write_text_atomic(path, text + "\n")
