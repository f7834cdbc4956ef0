"""Which languages a fix trains on: the paper's training configurations as named presets.

balanced       all 12 languages (the paper's best configuration)
high-resource  en de fr it es pt
en             English only (the common practice the paper shows does not transfer)
no-en          the 11 languages besides English
de | pl,cs     any language codes, comma-separated, mixed with presets
"""

from __future__ import annotations

from ..languages import LANGUAGES

__all__ = ["TRAIN_LANGUAGE_PRESETS", "parse_train_languages"]

TRAIN_LANGUAGE_PRESETS: dict[str, tuple[str, ...]] = {
    "balanced": LANGUAGES,
    "all": LANGUAGES,
    "high-resource": ("en", "de", "fr", "it", "es", "pt"),
    "no-en": tuple(lang for lang in LANGUAGES if lang != "en"),
}


def parse_train_languages(text: str) -> tuple[str, ...]:
    """``"balanced"``, ``"no-en"``, ``"pl,cs"`` or a mix → language codes in canonical order."""
    chosen: set[str] = set()
    parts = [part.strip().lower() for part in text.split(",") if part.strip()]
    if not parts:
        raise ValueError("no training languages given")
    for part in parts:
        if part in TRAIN_LANGUAGE_PRESETS:
            chosen.update(TRAIN_LANGUAGE_PRESETS[part])
        elif part in LANGUAGES:
            chosen.add(part)
        else:
            raise ValueError(
                f"unknown training language or preset {part!r}: use "
                f"{', '.join(TRAIN_LANGUAGE_PRESETS)} or codes from {', '.join(LANGUAGES)}"
            )
    return tuple(lang for lang in LANGUAGES if lang in chosen)
