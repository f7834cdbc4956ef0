"""How each of the 12 languages says no, and how a model turns from "no" to delivering anyway:
the data behind the built-in refusal judge, one module per language so each can grow on its own.
"""

from __future__ import annotations

from . import cs, de, en, es, fr, it, lt, lv, pl, pt, sk, sl
from ._base import GAP, LIST_START, MARKER_NEGATED, Lexicon

__all__ = ["GAP", "LEXICONS", "LIST_START", "MARKER_NEGATED", "Lexicon"]

LEXICONS: dict[str, Lexicon] = {
    module.__name__.rsplit(".", 1)[1]: module.LEXICON
    for module in (en, de, fr, it, es, pt, pl, cs, sk, sl, lt, lv)
}
