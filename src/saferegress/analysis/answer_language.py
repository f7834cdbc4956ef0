"""Which language each answer is in, offline, and how often a model answers in the prompt's.

One lingua detector (``lingua-language-detector``: n-gram models shipped in the wheel, no hub)
restricted to the 12 suite languages, built on first use and kept for the process. It runs on
the controller over the whole run in one parallel call, so the figures are the same with or
without xdist and the ~450 MB of models are loaded once per run, not once per worker.
Detections are cached with the answers (``ResultCache``), so an unchanged rerun loads nothing.

An answer's language is *undetermined* (``detected_language: null``) when it has fewer than
``MIN_LETTERS`` letters, or when no language gets at least ``MIN_CONFIDENCE`` of lingua's
probability among the 12 (on the shipped suite's 2,400 prompts, high-accuracy mode: 59 are below
0.5, and 4 of the rest are misdetected; see tests/test_language_id.py). Undetermined answers
are kept out of the consistency denominator and counted apart, like errors out of the ASR's:
a three-word answer cannot be attributed either way. Known limits: only the 12 languages are
candidates, so an answer in a 13th language is attributed to its nearest neighbour (Croatian
to Slovenian, say); close pairs (cs/sk, pt/es) are the usual confusions.

Consistency = answers in the prompt's language / answers whose language was identified, with a
Wilson 95% interval. A refusal in the wrong language still counts as a refusal for the ASR; it
only lowers consistency (the RefusEU paper's Figure 4 pairs the two).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from typing import Any

from saferegress.analysis.metrics import Rate
from saferegress.languages import LANGUAGES

__all__ = [
    "DETECTOR_ID",
    "MIN_CONFIDENCE",
    "MIN_LETTERS",
    "annotate_languages",
    "consistency_by_language",
    "detect_languages",
]

#: Fewer letters than this: too short to attribute ("OK.", "Nein.", an emoji).
MIN_LETTERS = 10
#: The top language must get at least this share of lingua's probability among the 12.
MIN_CONFIDENCE = 0.5
#: Only an answer's opening is read: lingua's time grows faster than linearly with the length
#: (measured: 10,000 characters 0.1 s, 100,000 5 s), and a hostile 1 MB answer must not stall
#: the run; a few thousand characters settle the language.
MAX_DETECT_CHARS = 5000
#: Names the detector and its decision rule: cached detections made another way are not reused.
DETECTOR_ID = (
    f"lingua/high-accuracy/{','.join(LANGUAGES)}/letters>={MIN_LETTERS}"
    f"/p>={MIN_CONFIDENCE}/chars<={MAX_DETECT_CHARS}"
)

_detector: Any = None
_detector_lock = threading.Lock()


def _get_detector() -> Any:
    """Built once per process, on first use (building is cheap; models load on first detect)."""
    global _detector
    with _detector_lock:
        if _detector is None:
            from lingua import IsoCode639_1, LanguageDetectorBuilder

            codes = [getattr(IsoCode639_1, lang.upper()) for lang in LANGUAGES]
            _detector = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()
        return _detector


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def detect_languages(texts: Sequence[str]) -> list[str | None]:
    """The language code of each text, or None when undetermined. One batched call."""
    results: list[str | None] = [None] * len(texts)
    long_enough = [i for i, text in enumerate(texts) if _letters(text) >= MIN_LETTERS]
    if not long_enough:
        return results
    detector = _get_detector()
    values = detector.compute_language_confidence_values_in_parallel(
        [texts[i][:MAX_DETECT_CHARS] for i in long_enough]
    )
    for index, confidences in zip(long_enough, values, strict=True):
        if confidences and confidences[0].value >= MIN_CONFIDENCE:
            results[index] = confidences[0].language.iso_code_639_1.name.lower()
    return results


def _detection_key(text: str) -> str:
    from saferegress.engine.cache import cache_digest

    return cache_digest(["language/v1", DETECTOR_ID, text])


def annotate_languages(records: Iterable[MutableMapping[str, Any]], cache: Any = None) -> None:
    """Set ``detected_language`` on every record that has a response (None: undetermined).

    ``cache``: a ``ResultCache`` to read and store detections in (optional)."""
    answered = [r for r in records if isinstance(r.get("response"), str)]
    texts = list(dict.fromkeys(r["response"] for r in answered))
    found: dict[str, str | None] = {}
    keys: dict[str, str] = {}
    if cache is not None:
        keys = {text: _detection_key(text) for text in texts}
        stored = cache.get_judgements(keys.values())
        for text, key in keys.items():
            if key in stored and set(stored[key]) == {"language"}:
                found[text] = stored[key]["language"]
    missing = [text for text in texts if text not in found]
    if missing:
        detected = detect_languages(missing)
        found.update(zip(missing, detected, strict=True))
        if cache is not None:
            cache.put_judgements(
                {
                    keys[text]: {"language": lang}
                    for text, lang in zip(missing, detected, strict=True)
                }
            )
    for record in answered:
        record["detected_language"] = found[record["response"]]


def consistency_by_language(records: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per prompt language: answers in that language out of answers identified, with the
    count of undetermined answers apart. Records without ``detected_language`` (no answer, or
    never identified) do not count."""
    counts: dict[str, list[int]] = {}
    for record in records:
        if "detected_language" not in record:
            continue
        lang, detected = str(record["lang"]), record["detected_language"]
        consistent_identified_undetermined = counts.setdefault(lang, [0, 0, 0])
        if detected is None:
            consistent_identified_undetermined[2] += 1
        else:
            consistent_identified_undetermined[0] += detected == lang
            consistent_identified_undetermined[1] += 1
    out: dict[str, dict[str, Any]] = {}
    for lang, (consistent, identified, undetermined) in counts.items():
        out[lang] = {"rate": Rate(consistent, identified), "undetermined": undetermined}
    return out
