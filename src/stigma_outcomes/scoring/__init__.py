"""Scoring (SPEC §5): item responses → tidy scale scores, the data-quality ledger and alerts."""

from .engine import score, score_instrument
from .result import SCORE_COLUMNS, ScoreResult

__all__ = ["SCORE_COLUMNS", "ScoreResult", "score", "score_instrument"]
