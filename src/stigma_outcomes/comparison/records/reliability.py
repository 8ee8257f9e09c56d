"""The `reliability` section of the results: ReliabilityRecord."""

from __future__ import annotations

from typing import ClassVar

from ._types import KEY_DOCS, Count, Flag, Items, Label, Number, Record, Table, Text, described


class ReliabilityRecord(Record):
    """In-sample reliability of one scale at one wave (alpha, omega, item statistics)."""

    section: ClassVar[str] = "reliability"

    instrument: Label = described(KEY_DOCS["instrument"])
    scale: Label = described(KEY_DOCS["scale"])
    wave: Text = described("Wave the item answers come from.")
    n: Count = described(
        "Participants whose scale score is valid ('ok') at this wave.",
        required=False,
    )
    n_items: Count = described("Items in the scale.", required=False)
    alpha: Number = described(
        "Cronbach's alpha of the keyed items (psych::alpha raw_alpha, pairwise covariances).",
        required=False,
    )
    alpha_ci_low: Number = described(
        "Lower limit of the 95% Feldt interval of alpha.",
        required=False,
    )
    alpha_ci_high: Number = described(
        "Upper limit of the 95% Feldt interval of alpha.",
        required=False,
    )
    alpha_ci_method: Text = described("How the alpha interval was computed.", required=False)
    alpha_if_deleted: Table = described(
        "Item → alpha of the scale without that item.",
        required=False,
    )
    item_rest_r: Table = described(
        "Item → correlation of the item with the sum of the other items (corrected item–total "
        "r, psych r.drop).",
        required=False,
    )
    omega_total: Number = described(
        "McDonald's omega total from a one-factor minres model (psych::omega nfactors = 1, "
        "items as keyed). In a Heywood case (an item loading of 1, its uniqueness at the "
        "0.005 floor) the bounded least-squares solution, which can differ from psych's by up "
        "to about 0.02; note then says so.",
        required=False,
    )
    omega_method: Text = described("How omega was estimated.", required=False)
    miskeyed_items: Items = described(
        "Items whose item_rest_r is negative after keying: the usual sign of an item the "
        "survey platform had already reversed.",
        required=False,
    )
    too_few_to_interpret: Flag = described(KEY_DOCS["too_few_to_interpret"], required=False)
    note: Text = described(KEY_DOCS["note"], required=False)
