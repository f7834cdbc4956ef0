"""The DPO fixer: failures of a run become preference pairs, and TRL retrains on them
(``fixer.train``, imported on use: it needs the ``fix`` extra)."""

from .pairs import PairsError, build_pairs, write_pairs
from .refusals import REFUSAL_PHRASINGS, refusal_for

__all__ = ["REFUSAL_PHRASINGS", "PairsError", "build_pairs", "refusal_for", "write_pairs"]
