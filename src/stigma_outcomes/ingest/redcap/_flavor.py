"""REDCap as a :class:`~stigma_outcomes.ingest.flavors.base.Flavor`: its hooks are where
repeat instances become occasions and form status decides what is scored."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..flavors.base import Platform
from ._export import NAME, detect, parse
from ._forms import occasion_names, sort_out_rows


def _blanked(frame: pd.DataFrame, name: str) -> pd.Series:
    """A repeat column as text, missing → '' and ``2.0`` → ``2`` ('' where the column is absent)."""
    cells = frame.get(name, pd.Series([None] * len(frame), index=frame.index))
    return cells.astype("string").fillna("").str.replace(r"\.0$", "", regex=True)


@dataclass(frozen=True)
class RedcapFlavor(Platform):
    """REDCap: repeat rows are occasions of their own, and a form marked Incomplete is not
    scored (:func:`~stigma_outcomes.ingest.redcap.sort_out_rows`)."""

    def wave_values(self, frame: pd.DataFrame, column: str) -> pd.Series:
        """Events, with repeating events and forms as occasions of their own (``event#2``),
        named as scoring names them.

        Examples
        --------
        >>> frame = pd.DataFrame({"redcap_event_name": ["base", "base"],
        ...     "redcap_repeat_instrument": ["", "weekly"], "redcap_repeat_instance": ["", 2.0]})
        >>> FLAVOR.wave_values(frame, "redcap_event_name").tolist()
        ['base', 'base/weekly#2']
        """
        values = frame[column]
        if "redcap_repeat_instance" not in frame.columns:
            return values
        names = occasion_names(
            values,
            _blanked(frame, "redcap_repeat_instrument").to_numpy(dtype=object),
            _blanked(frame, "redcap_repeat_instance").to_numpy(dtype=object),
        )
        return pd.Series(names, index=values.index).astype(object)

    def after_binding(
        self,
        rows: pd.DataFrame,
        data: pd.DataFrame,
        metadata: Mapping[str, Any],
        items: Mapping[str, Mapping[str, str]],
        source: str,
        prefix: bool,
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        return sort_out_rows(rows, data, metadata, items, source, prefix)


FLAVOR = RedcapFlavor(
    NAME,
    detect,
    parse,
    personal_columns={"redcap_survey_identifier": "survey identifier (name or e-mail)"},
    reads_dictionary=True,
)
"""The REDCap flavour."""
