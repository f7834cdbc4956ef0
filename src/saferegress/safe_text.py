"""Model output (and text from suite or results files) made safe to store and to show.

Model output is hostile. It may carry terminal control sequences (ANSI escapes that recolour,
retitle or rewrite a CI log), NUL bytes, bidi overrides that reorder what a reader sees, lone
UTF-16 surrogates (a JSON ``"\\ud800"`` from an endpoint) that cannot be written as UTF-8 at all,
or a megabyte of text. HTML escaping is jinja2's job; this module does the rest.
"""

from __future__ import annotations

import re

__all__ = ["MAX_SHOWN_CHARS", "shorten", "terminal_safe", "visible_controls", "well_formed"]

#: Characters of one answer shown in an HTML report; results.json always keeps all of it.
MAX_SHOWN_CHARS = 20_000

# C0 and C1 controls except tab, newline and carriage return, DEL, and the bidi embedding,
# override and isolate controls.
_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# For one terminal line: newline and carriage return too (a "\r" rewrites the line shown).
_HIDDEN_IN_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def well_formed(text: str) -> str:
    """``text`` as valid Unicode: lone surrogates become U+FFFD (pairs are joined)."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def visible_controls(text: str) -> str:
    """Control characters as visible escapes (``\\x1b``, ``\\x00``, ``\\u202e``); tabs and line
    breaks stay. For text shown to people: a report, a log."""
    return _HIDDEN.sub(_escape, well_formed(text))


def terminal_safe(line: str) -> str:
    """One line for a terminal: every control character, line breaks included, escaped."""
    return _HIDDEN_IN_LINE.sub(_escape, well_formed(line))


def shorten(text: str, limit: int = MAX_SHOWN_CHARS) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return (
        f"{text[:limit]}\n… [{len(text) - limit:,} more characters; the whole answer is in "
        "results.json]"
    )
