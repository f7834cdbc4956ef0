"""Which language each answer is in, offline, and how often a model answers in the prompt's.

Two passes. The fast pass is a naive-Bayes character 1-4-gram model over the 12 suite languages
(``answer_language_ngrams.npz`` beside this module: n-gram counts from the project's own judge
corpus, ``tests/data/judge/train``, rebuilt by ``build_ngram_counts``), vectorised with numpy over
the whole batch: ~0.01-0.02 ms and a few MiB per answer set. It decides an answer only when it is
clear: at least ``FAST_MIN_LETTERS`` letters in the opening ``FAST_CHARS`` characters and the best
language ahead of the second by ``FAST_MIN_MARGIN`` nats. Everything else (short texts, close
calls such as cs/sk) goes to lingua as before, so lingua (~2 s, ~400 MiB) is loaded only in runs
that have such an answer. Measured with ``bench/language_id_speed.py`` (docs/benchmarks.md).

The fallback: one lingua detector (``lingua-language-detector``: n-gram models shipped in the
wheel, no hub) restricted to the 12 suite languages, built on first need and kept for the
process. Detection runs on the controller over the whole run in one batched call, so the
figures are the same with or without xdist and lingua's ~450 MB of models, when needed, are
loaded once per run, not once per worker.
Detections are cached with the answers (``ResultCache``), so an unchanged rerun loads nothing.

An answer's language is *undetermined* (``detected_language: null``) when it has fewer than
``MIN_LETTERS`` letters, or when the fast pass leaves it open and no language gets at least
``MIN_CONFIDENCE`` of lingua's probability among the 12 (on the shipped suite's 2,400 prompts:
30 undetermined and 1 misdetected, where lingua alone left 59 and got 4 wrong; see
tests/test_language_id.py). Undetermined answers
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
from pathlib import Path
from typing import Any

import numpy as np

from saferegress.analysis.metrics import Rate
from saferegress.languages import LANGUAGES

__all__ = [
    "DETECTOR_ID",
    "MIN_CONFIDENCE",
    "MIN_LETTERS",
    "annotate_languages",
    "build_ngram_counts",
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
#: The fast pass reads this many characters of an answer's opening.
FAST_CHARS = 200
#: ... and decides only with at least this many letters in them ...
FAST_MIN_LETTERS = 20
#: ... and the best language this many nats (log-likelihood) ahead of the second.
FAST_MIN_MARGIN = 20.0
#: The fast pass's n-gram orders and additive smoothing.
FAST_ORDERS = (1, 2, 3, 4)
FAST_ALPHA = 0.5
#: Its n-gram counts (see ``build_ngram_counts``); n-grams seen once in the corpus are dropped.
NGRAM_FILE = Path(__file__).with_name("answer_language_ngrams.npz")
NGRAM_MIN_COUNT = 2
#: Names the detector and its decision rule: cached detections made another way are not reused.
DETECTOR_ID = (
    f"ngram{''.join(map(str, FAST_ORDERS))}/judge-train/a={FAST_ALPHA}/chars<={FAST_CHARS}"
    f"/letters>={FAST_MIN_LETTERS}/margin>={FAST_MIN_MARGIN}"
    f"+lingua/high-accuracy/{','.join(LANGUAGES)}/letters>={MIN_LETTERS}"
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


# -- the fast pass ------------------------------------------------------------------------------

#: Characters are mapped to small codes: 0 a non-letter (runs of them are one space), 1 a letter
#: outside the model's alphabet, 2.. the alphabet's letters. An n-gram's id is its codes read in
#: base ``_BASE``, offset by order so that orders never share an id.
_BASE = 128
_TABLE_SIZE = 0x3000
_HASH_BITS = 20
_HASH_MULT = np.uint32(2654435761)


def _char_codes(alphabet: str) -> np.ndarray:
    codes = np.array([1 if chr(cp).isalpha() else 0 for cp in range(_TABLE_SIZE)], dtype=np.int32)
    for index, ch in enumerate(alphabet):
        codes[ord(ch)] = index + 2
    return codes


def _gram_ids(
    texts: Sequence[str], codes_of: np.ndarray
) -> tuple[int, list[tuple[np.ndarray, np.ndarray]]]:
    """Per order: the ids of every n-gram of every (lower-cased, padded) text and the index of
    the text each comes from (ascending). One numpy pass over the whole batch."""
    lowered = [text.lower() for text in texts]
    lengths = np.fromiter(map(len, lowered), dtype=np.int64, count=len(lowered))
    points = np.frombuffer("".join([f" {t} " for t in lowered]).encode("utf-32-le"), np.uint32)
    codes = codes_of[np.minimum(points, _TABLE_SIZE - 1)]
    codes[points >= _TABLE_SIZE] = 1
    segment = np.repeat(np.arange(len(lowered), dtype=np.int32), lengths + 2)
    space = codes == 0
    keep = np.ones(len(codes), dtype=bool)
    keep[1:] = ~(space[1:] & space[:-1] & (segment[1:] == segment[:-1]))
    codes, segment = codes[keep], segment[keep]
    size = len(codes)
    out = []
    offset = 0
    for order in range(1, max(FAST_ORDERS) + 1):
        if order in FAST_ORDERS and size >= order:
            ids = codes[: size - order + 1].copy()
            for k in range(1, order):
                ids = ids * _BASE + codes[k : size - order + 1 + k]
            ids += offset
            inside = segment[: size - order + 1] == segment[order - 1 :]
            if order == 1:
                inside &= codes != 0
            out.append((ids[inside], segment[: size - order + 1][inside]))
        offset += _BASE**order
    return len(lowered), out


def build_ngram_counts(samples: Iterable[tuple[str, str]]) -> dict[str, np.ndarray]:
    """The fast pass's data from (language, text) samples: the alphabet (letters seen at least 3
    times), the sorted n-gram ids seen at least ``NGRAM_MIN_COUNT`` times, and their counts per
    language (columns in ``LANGUAGES`` order). Deterministic: the same samples give the same
    arrays. The shipped file is this over ``tests/data/judge/train`` (prompts and answers)."""
    samples = list(samples)
    letters: dict[str, int] = {}
    for _, text in samples:
        for ch in text.lower():
            if ch.isalpha() and ord(ch) < _TABLE_SIZE:
                letters[ch] = letters.get(ch, 0) + 1
    alphabet = "".join(sorted(ch for ch, n in letters.items() if n >= 3))
    column = np.array([LANGUAGES.index(lang) for lang, _ in samples], dtype=np.int64)
    _, per_order = _gram_ids([text for _, text in samples], _char_codes(alphabet))
    ids = np.concatenate([i for i, _ in per_order]).astype(np.int64)
    langs = column[np.concatenate([s for _, s in per_order])]
    unique, inverse = np.unique(ids, return_inverse=True)
    counts = np.zeros((len(unique), len(LANGUAGES)), dtype=np.int64)
    np.add.at(counts, (inverse, langs), 1)
    kept = counts.sum(axis=1) >= NGRAM_MIN_COUNT
    return {
        "alphabet": np.array([ord(ch) for ch in alphabet], dtype=np.uint32),
        "ids": unique[kept].astype(np.int32),
        "counts": counts[kept].astype(np.uint16),
    }


class _NgramModel:
    """Log-probabilities per n-gram and language, and a hash table (2**20 slots) from an n-gram
    id to its row; where two known n-grams share a slot the more frequent one keeps it, the
    other is not looked up (a few percent of the rarest)."""

    def __init__(self, data: Mapping[str, np.ndarray]) -> None:
        self.codes = _char_codes("".join(chr(cp) for cp in data["alphabet"]))
        self.ids = np.asarray(data["ids"], dtype=np.int32)
        counts = np.asarray(data["counts"], dtype=np.float64)
        bounds = np.cumsum([_BASE**n for n in range(1, max(FAST_ORDERS) + 1)])
        order_of = np.searchsorted(bounds, self.ids, side="right") + 1
        self.weights = np.zeros(counts.shape, dtype=np.float32)
        for order in FAST_ORDERS:
            rows = order_of == order
            mine = counts[rows]
            total = mine.sum(axis=0) + FAST_ALPHA * rows.sum()
            self.weights[rows] = np.log((mine + FAST_ALPHA) / total)
        slots = self._slots(self.ids)
        by_frequency = np.argsort(-counts.sum(axis=1), kind="stable")[::-1]
        self.table = np.full(1 << _HASH_BITS, -1, dtype=np.int32)
        self.table[slots[by_frequency]] = by_frequency.astype(np.int32)  # frequent ones last: win

    @staticmethod
    def _slots(ids: np.ndarray) -> np.ndarray:
        return (ids.astype(np.uint32) * _HASH_MULT) >> np.uint32(32 - _HASH_BITS)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Summed log-likelihood of each text (rows) under each language (columns)."""
        count, per_order = _gram_ids(texts, self.codes)
        totals = np.zeros((count, len(LANGUAGES)), dtype=np.float32)
        everyone = np.arange(count)
        for ids, segment in per_order:
            rows = self.table[self._slots(ids)]
            known = rows >= 0
            known[known] &= self.ids[rows[known]] == ids[known]
            rows, segment = rows[known], segment[known]
            if not len(rows):
                continue
            starts = np.searchsorted(segment, everyone)
            sums = np.add.reduceat(self.weights[rows], np.minimum(starts, len(rows) - 1), axis=0)
            sums[np.diff(np.append(starts, len(rows))) == 0] = 0
            totals += sums
        return totals


_model: _NgramModel | None = None


def _get_model() -> _NgramModel:
    global _model
    with _detector_lock:
        if _model is None:
            with np.load(NGRAM_FILE, allow_pickle=False) as data:
                _model = _NgramModel({key: data[key] for key in data.files})
        return _model


def _fast_pass(texts: Sequence[str]) -> list[str | None]:
    """The language of each clear text, None for the rest (left to lingua)."""
    openings = [text[:FAST_CHARS] for text in texts]
    clear = [i for i, text in enumerate(openings) if _letters(text) >= FAST_MIN_LETTERS]
    decided: list[str | None] = [None] * len(texts)
    if not clear:
        return decided
    scores = _get_model().scores([openings[i] for i in clear])
    top_two = np.sort(scores, axis=1)[:, -2:]
    best = scores.argmax(axis=1)
    for index, (second, first), language in zip(clear, top_two, best, strict=True):
        if first - second >= FAST_MIN_MARGIN:
            decided[index] = LANGUAGES[language]
    return decided


def detect_languages(texts: Sequence[str]) -> list[str | None]:
    """The language code of each text, or None when undetermined. One batched call: the fast
    pass first, lingua (loaded on first need) for the texts it leaves open."""
    results: list[str | None] = [None] * len(texts)
    candidates = [i for i, text in enumerate(texts) if _letters(text) >= MIN_LETTERS]
    if not candidates:
        return results
    fast = _fast_pass([texts[i] for i in candidates])
    long_enough = []
    for index, language in zip(candidates, fast, strict=True):
        if language is None:
            long_enough.append(index)
        else:
            results[index] = language
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
