"""Which language each answer is in, offline, and how often a model answers in the prompt's.

A naive-Bayes character 1-4-gram model over the 12 suite languages (``answer_language_ngrams.npz``
beside this module: n-gram counts from the project's own judge corpus, ``tests/data/judge/train``,
rebuilt by ``build_ngram_counts``), vectorised with numpy over the whole batch, in chunks of
``CHUNK_CHARS`` characters so that memory stays flat however many answers a run has: ~0.02 ms
per answer and a few MiB (``bench/language_id_speed.py``, docs/benchmarks.md). It reads an
answer's first ``FAST_CHARS`` characters, or its first ``MAX_DETECT_CHARS`` when those hold
fewer than ``FAST_MIN_LETTERS`` letters (an answer that opens with code or a table), so a hostile
1 MB answer costs no more than a short one. Detection runs on the controller over the whole run
in one batched call, so the figures are the same with or without xdist. Detections are cached
with the answers (``ResultCache``), so an unchanged rerun detects nothing.

An answer's language is *undetermined* (``detected_language: null``) when its window has fewer
than ``MIN_LETTERS`` letters, or when its best language is less than ``MIN_MARGIN`` nats ahead
of the second. Close Czech/Slovak calls first get ``MARKER_WEIGHT`` nats per marker of either
language (``MARKERS``: function words and letters one of the two has and the other lacks), the
pair the small corpus separates worst. On the shipped suite's 2,400 prompts: 17 undetermined and
none misdetected (lingua high accuracy alone left 59 and got 4 wrong; the n-gram pass with lingua
for close calls, 30 and 1; see tests/test_language_id.py). No other model is loaded: lingua, the
detector until now, cost ~400 MiB and ~2 s in any run with one short answer or close call, and
the n-gram pass was the more accurate of the two on exactly those texts. Undetermined answers
are kept out of the consistency denominator and counted apart, like errors out of the ASR's:
a three-word answer cannot be attributed either way. Known limits: only the 12 languages are
candidates, so an answer in a 13th language written in the Latin alphabet may be attributed to
its nearest neighbour (Croatian to Slovenian, say); close pairs (cs/sk, pt/es) are the usual
near misses and end up undetermined rather than wrong.

Consistency = answers in the prompt's language / answers whose language was identified, with a
Wilson 95% interval. A refusal in the wrong language still counts as a refusal for the ASR; it
only lowers consistency (the RefusEU paper's Figure 4 pairs the two).
"""

from __future__ import annotations

import functools
import re
import threading
import zlib
from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from saferegress.analysis.metrics import Rate
from saferegress.languages import LANGUAGES

if TYPE_CHECKING:  # numpy is imported where a text is detected, not by a cached rerun
    import numpy as np

__all__ = [
    "DETECTOR_ID",
    "MIN_LETTERS",
    "MIN_MARGIN",
    "annotate_languages",
    "build_ngram_counts",
    "consistency_by_language",
    "detect_languages",
]

#: Fewer letters than this in the window read: too short to attribute ("OK.", "Nein.", an emoji).
MIN_LETTERS = 10
#: The best language must be this many nats (summed log-likelihood) ahead of the second. Chosen
#: on the suite prompts and the judge train answers (tests/test_language_id.py,
#: bench/language_id_speed.py): below it the second language wins too often to attribute.
MIN_MARGIN = 15.0
#: An answer's opening is read: this many characters ...
FAST_CHARS = 200
#: ... unless they hold fewer letters than this; then up to ``MAX_DETECT_CHARS`` characters.
FAST_MIN_LETTERS = 20
MAX_DETECT_CHARS = 5000
#: The n-gram orders and additive smoothing.
FAST_ORDERS = (1, 2, 3, 4)
FAST_ALPHA = 0.5
#: The n-gram counts (see ``build_ngram_counts``); n-grams seen once in the corpus are dropped.
NGRAM_FILE = Path(__file__).with_name("answer_language_ngrams.npz")
NGRAM_MIN_COUNT = 2
#: Words and letters that one of Czech and Slovak uses and the other does not (standard
#: spelling): the n-gram counts, from ~240 texts per language, separate this pair worst.
MARKERS = {
    "cs": (
        frozenset(
            "co jak jaký jaká jaké jací proč který která které kteří se jsem jsme jste jsou ne "
            "nebo pro může můžu můžete můj když ještě velmi taky jen budu".split()
        ),
        "ěůř",
    ),
    "sk": (
        frozenset(
            "čo ako aký aká aké akí prečo ktorý ktorá ktoré ktorí sa som sme ste sú nie alebo "
            "pre môže môžem môžete môj keď ešte veľmi tiež iba len budem".split()
        ),
        "äôĺľŕ",
    ),
}
#: Nats a close cs/sk call adds to a language per marker of it in the window.
MARKER_WEIGHT = 10.0
#: Texts are scored in batches of about this many characters: memory stays flat with the count.
CHUNK_CHARS = 100_000
_MARKER_DIGEST = zlib.crc32(
    repr(
        sorted((lang, sorted(words), letters) for lang, (words, letters) in MARKERS.items())
    ).encode("utf-8")
)
#: Names the detector, its data (the counts file's CRC-32: rebuilt counts are another detector)
#: and its decision rule: cached detections made another way are not reused.
DETECTOR_ID = (
    f"ngram{''.join(map(str, FAST_ORDERS))}/judge-train:{zlib.crc32(NGRAM_FILE.read_bytes()):08x}"
    f"/a={FAST_ALPHA}"
    f"/chars<={FAST_CHARS}(<={MAX_DETECT_CHARS} if letters<{FAST_MIN_LETTERS})"
    f"/no-urls/letters>={MIN_LETTERS}/margin>={MIN_MARGIN}"
    f"/markers:{','.join(MARKERS)}:{MARKER_WEIGHT}:{_MARKER_DIGEST:08x}"
)

_model_lock = threading.Lock()


# -- the fast pass ------------------------------------------------------------------------------

#: Characters are mapped to small codes: 0 a non-letter (runs of them are one space), 1 a letter
#: outside the model's alphabet, 2.. the alphabet's letters. An n-gram's id is its codes read in
#: base ``_BASE``, offset by order so that orders never share an id.
_BASE = 128
_TABLE_SIZE = 0x3000
_HASH_BITS = 20
_HASH_MULT = 2654435761


@functools.cache
def _is_letter_table() -> np.ndarray:
    """``str.isalpha`` of every code point under ``_TABLE_SIZE``, vectorised (~1 ms, once)."""
    import numpy as np

    points = np.arange(_TABLE_SIZE, dtype=np.uint32).view("<U1")
    return np.char.isalpha(points)


def _char_codes(alphabet: str) -> np.ndarray:
    import numpy as np

    codes = _is_letter_table().astype(np.int32)
    codes[[ord(ch) for ch in alphabet]] = np.arange(2, len(alphabet) + 2, dtype=np.int32)
    return codes


def _code_points(texts: Sequence[str]) -> np.ndarray:
    """The texts' code points, one array (lone surrogates, which some decoders leave, kept)."""
    import numpy as np

    return np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), np.uint32)


def _letter_counts(texts: Sequence[str]) -> np.ndarray:
    """``str.isalpha`` letters per text, one numpy pass (Python only for code points over the
    table, looked up once each)."""
    import numpy as np

    points = _code_points(texts)
    letter = np.take(_is_letter_table(), np.minimum(points, _TABLE_SIZE - 1))
    high = points >= _TABLE_SIZE
    if high.any():
        beyond = np.unique(points[high])
        is_letter = np.array([chr(cp).isalpha() for cp in beyond.tolist()], dtype=bool)
        letter[high] = is_letter[np.searchsorted(beyond, points[high])]
    segment = np.repeat(np.arange(len(texts)), [len(text) for text in texts])
    return np.bincount(segment, weights=letter, minlength=len(texts)).astype(np.int64)


def _gram_ids(
    texts: Sequence[str], codes_of: np.ndarray
) -> tuple[int, list[tuple[np.ndarray, np.ndarray]]]:
    """Per order: the ids of every n-gram of every (lower-cased, padded) text and the index of
    the text each comes from (ascending). One numpy pass over the whole batch."""
    import numpy as np

    lowered = [text.lower() for text in texts]
    lengths = np.fromiter(map(len, lowered), dtype=np.int64, count=len(lowered))
    points = _code_points([f" {t} " for t in lowered])
    codes = np.take(codes_of, np.minimum(points, _TABLE_SIZE - 1))
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
    import numpy as np

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
        import numpy as np

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
        import numpy as np

        return (ids.astype(np.uint32) * np.uint32(_HASH_MULT)) >> np.uint32(32 - _HASH_BITS)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Summed log-likelihood of each text (rows) under each language (columns)."""
        import numpy as np

        count, per_order = _gram_ids(texts, self.codes)
        totals = np.zeros((count, len(LANGUAGES)), dtype=np.float32)
        everyone = np.arange(count)
        for ids, segment in per_order:
            # np.take, not fancy indexing: 2-4x faster for these gathers (bench figures).
            rows = np.take(self.table, self._slots(ids))
            known = (np.take(self.ids, np.maximum(rows, 0)) == ids) & (rows >= 0)
            rows, segment = rows[known], segment[known]
            if not len(rows):
                continue
            starts = np.searchsorted(segment, everyone)
            gathered = np.take(self.weights, rows, axis=0)
            sums = np.add.reduceat(gathered, np.minimum(starts, len(rows) - 1), axis=0)
            sums[np.diff(np.append(starts, len(rows))) == 0] = 0
            totals += sums
        return totals


_model: _NgramModel | None = None


def _get_model() -> _NgramModel:
    """Loaded on first use (~35 ms), then kept for the process."""
    import numpy as np

    global _model
    with _model_lock:
        if _model is None:
            with np.load(NGRAM_FILE, allow_pickle=False) as data:
                _model = _NgramModel({key: data[key] for key in data.files})
        return _model


def _batches(texts: Sequence[str]) -> Iterator[range]:
    """Consecutive index ranges of about ``CHUNK_CHARS`` characters each."""
    start = size = 0
    for index, text in enumerate(texts):
        if size and size + len(text) > CHUNK_CHARS:
            yield range(start, index)
            start, size = index, 0
        size += len(text)
    if start < len(texts):
        yield range(start, len(texts))


#: Web addresses say nothing about the language around them ("https://x.io/a?b=1" has 10
#: letters): they are cut out of the window before letters are counted.
_URL = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)\S*", re.IGNORECASE)


def _without_urls(text: str) -> str:
    return _URL.sub(" ", text) if "://" in text or "www." in text.lower() else text


def _windows(texts: Sequence[str]) -> tuple[list[str], list[int]]:
    """The part of each text that is read (web addresses cut out), and its letters."""
    windows = [_without_urls(text[:FAST_CHARS]) for text in texts]
    letters: list[int] = []
    for batch in _batches(windows):
        letters += _letter_counts(windows[batch.start : batch.stop]).tolist()
    wider = [
        i
        for i, text in enumerate(texts)
        if letters[i] < FAST_MIN_LETTERS and len(text) > FAST_CHARS
    ]
    for index in wider:
        windows[index] = _without_urls(texts[index][:MAX_DETECT_CHARS])
        letters[index] = int(_letter_counts([windows[index]])[0])
    return windows, letters


_CS, _SK = LANGUAGES.index("cs"), LANGUAGES.index("sk")
_WORD = re.compile(r"[^\W\d_]+")


def _add_markers(scores: np.ndarray, windows: Sequence[str]) -> None:
    """Close calls between Czech and Slovak: ``MARKER_WEIGHT`` nats per marker of either."""
    import numpy as np

    order = np.argsort(scores, axis=1)
    top, second = order[:, -1], order[:, -2]
    gap = scores[np.arange(len(scores)), top] - scores[np.arange(len(scores)), second]
    pair = ((top == _CS) & (second == _SK)) | ((top == _SK) & (second == _CS))
    for row in np.flatnonzero(pair & (gap < MIN_MARGIN)).tolist():
        text = windows[row].lower()
        words = _WORD.findall(text)
        for column, lang in ((_CS, "cs"), (_SK, "sk")):
            vocabulary, letters = MARKERS[lang]
            found = sum(word in vocabulary for word in words)
            found += sum(text.count(letter) for letter in letters)
            scores[row, column] += MARKER_WEIGHT * found


def _decide(windows: Sequence[str]) -> list[str | None]:
    """The language of each window (all with at least ``MIN_LETTERS`` letters), None when the
    best is not ``MIN_MARGIN`` ahead of the second."""
    import numpy as np

    model = _get_model()
    decided: list[str | None] = []
    for batch in _batches(windows):
        mine = windows[batch.start : batch.stop]
        scores = model.scores(mine)
        _add_markers(scores, mine)
        top_two = np.sort(scores, axis=1)[:, -2:]
        best = scores.argmax(axis=1).tolist()
        margins = (top_two[:, 1] - top_two[:, 0]).tolist()
        decided += [
            LANGUAGES[language] if margin >= MIN_MARGIN else None
            for language, margin in zip(best, margins, strict=True)
        ]
    return decided


def detect_languages(texts: Sequence[str]) -> list[str | None]:
    """The language code of each text, or None when undetermined. One batched call; the n-gram
    model is loaded on the first text long enough to need it."""
    results: list[str | None] = [None] * len(texts)
    windows, letters = _windows(texts)
    todo = [i for i, count in enumerate(letters) if count >= MIN_LETTERS]
    if todo:
        for index, language in zip(todo, _decide([windows[i] for i in todo]), strict=True):
            results[index] = language
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
