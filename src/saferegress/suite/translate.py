"""Machine translation of suites: ``saferegress translate SUITE --to sk,sl,lt,lv``.

Translates the cases of one source language (``--source-lang``, default ``en``) with the
official ``deepl`` client, keeping what a case *is* (category, kind, style, group, split,
smoke) and deriving ids by the suite scheme (``atk-029-en`` -> ``atk-029-sk``).

Fidelity: every translation is translated back into the source language and the back
translation is scored against the original with chrF (sacrebleu, 0-100). The score is stored on
the case (``fidelity_chrf``); below ``--min-chrf`` the case is also marked
``fidelity_flagged: true``, and the pytest plugin deselects flagged cases unless
``--keep-low-fidelity`` is given, so a garbled translation never counts towards an ASR by
default. A translation whose meaning drifted is a different attack, not the same one in
another language.

Cache: every translation (forward and back) is stored in ``translations.sqlite3`` under the
cache directory, keyed by a hash of endpoint, text, source, target and formality, and committed
after each request, so a rerun sends no requests and a run stopped by an error (quota
exceeded, a bad key) resumes where it stopped. The key of the account is never stored: it is
read from ``$DEEPL_AUTH_KEY`` and redacted from every message.

Errors from DeepL (403 bad key, 456 quota exceeded, 429 after retries, 5xx, unreachable
server, a malformed answer) become one ``TranslationError`` line; the output is written to a
temporary file, checked with the suite loader and renamed only when everything succeeded, so
it is never half-written and never a suite that pytest would reject.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from saferegress.errors import CacheError, ConfigError, MissingExtraError, TranslationError
from saferegress.languages import LANGUAGES
from saferegress.suite.cases import Case, load_suite, parse_suite_file

__all__ = [
    "AUTH_KEY_ENV",
    "DEFAULT_MIN_CHRF",
    "FORMALITIES",
    "DeepLTranslator",
    "TranslateOptions",
    "TranslationCache",
    "TranslationRun",
    "add_translate_parser",
    "deepl_language",
    "translate_suite",
    "translated_id",
    "write_checked_suite",
]

AUTH_KEY_ENV = "DEEPL_AUTH_KEY"
#: Back-translation chrF below this flags a case. Round trips of faithful DeepL translations of
#: short prompts score roughly 55-85; below 50 the meaning usually moved. Tune on your data.
DEFAULT_MIN_CHRF = 50.0
#: DeepL takes at most 50 texts per /v2/translate request.
TEXTS_PER_REQUEST = 50
FORMALITIES = ("default", "more", "less", "prefer_more", "prefer_less")
DEFAULT_CACHE_DIR = ".saferegress-cache"
#: Messages from the server are shown to the user, shortened and without control characters.
_MAX_SHOWN_CHARS = 300


def deepl_language(lang: str, *, target: bool) -> str:
    """DeepL's code for a suite language; as a target English and Portuguese need a variant."""
    code = lang.upper()
    if target:
        return {"EN": "EN-GB", "PT": "PT-PT"}.get(code, code)
    return code


def translated_id(case_id: str, source_lang: str, target_lang: str) -> str:
    """The suite id scheme ``<stem>-<lang>``: ``atk-029-en`` -> ``atk-029-sk``; an id without
    the source language suffix gets the target appended (``my-case`` -> ``my-case-sk``)."""
    suffix = f"-{source_lang}"
    stem = case_id.removesuffix(suffix)
    return f"{stem}-{target_lang}"


def shown_text(text: str, secret: str | None = None, limit: int = _MAX_SHOWN_CHARS) -> str:
    """Text from the server made safe to print: the key redacted, control characters (ANSI
    escapes, newlines) replaced, and long text cut."""
    if secret:
        text = text.replace(secret, "[redacted]")
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- cache -------------------------------------------------------------------------------------


class TranslationCache:
    """Translations by key in ``<directory>/translations.sqlite3`` (hashes and texts only)."""

    FILENAME = "translations.sqlite3"

    def __init__(self, directory: str | Path) -> None:
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        self.path = path / self.FILENAME
        with self._usable():
            self._db = sqlite3.connect(self.path)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS translations (key TEXT PRIMARY KEY, text TEXT NOT NULL)"
            )
            self._db.commit()

    @contextlib.contextmanager
    def _usable(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise CacheError(
                f"{self.path}: the translation cache cannot be used ({exc}); "
                "delete it or pass --no-cache"
            ) from None

    @staticmethod
    def key(endpoint: str, text: str, source: str, target: str, formality: str | None) -> str:
        parts = ["deepl/v1", endpoint, text, source, target, formality or "default"]
        blob = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(keys), 500):  # sqlite's limit on "?" per statement
            chunk = list(keys[start : start + 500])
            marks = ",".join("?" * len(chunk))
            with self._usable():
                for key, text in self._db.execute(
                    f"SELECT key, text FROM translations WHERE key IN ({marks})", chunk
                ):
                    found[key] = text
        return found

    def put_many(self, entries: Mapping[str, str]) -> None:
        with self._usable(), self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO translations VALUES (?, ?)", list(entries.items())
            )

    def close(self) -> None:
        self._db.close()


# -- DeepL -------------------------------------------------------------------------------------


#: How the ``deepl`` client words a 456 before the server's own message.
_QUOTA_PREAMBLE = re.compile(
    r"^\s*quota for this billing period has been exceeded[.,;:]?\s*(?:message:\s*)?", re.I
)


class DeepLTranslator:
    """The official ``deepl`` client, with its errors turned into ``TranslationError``."""

    def __init__(self, auth_key: str, server_url: str | None = None, retries: int = 5) -> None:
        try:
            import deepl
        except ImportError:
            raise MissingExtraError("deepl", "translate") from None
        self._deepl = deepl
        self._key = auth_key
        self._retries = retries
        self.server_url = server_url
        # The cache keeps official and self-hosted/test endpoints apart; never the key.
        self.endpoint = server_url or "deepl"
        from saferegress import __version__

        self._client = deepl.DeepLClient(auth_key, server_url=server_url)
        self._client.set_app_info("saferegress", __version__)
        self.requests = 0

    @contextlib.contextmanager
    def _retry_limit(self) -> Iterator[None]:
        # The client reads its retry count (429 and 5xx, with backoff) from a module global.
        http_client: Any = self._deepl.http_client  # untyped module global
        saved = http_client.max_network_retries
        http_client.max_network_retries = self._retries
        try:
            yield
        finally:
            http_client.max_network_retries = saved

    def translate(
        self, texts: Sequence[str], source: str, target: str, formality: str | None
    ) -> list[str]:
        deepl = self._deepl
        self.requests += 1
        where = f"DeepL ({self.server_url})" if self.server_url else "DeepL"
        try:
            with self._retry_limit():
                results = self._client.translate_text(
                    list(texts), source_lang=source, target_lang=target, formality=formality
                )
        except deepl.AuthorizationException as exc:
            raise TranslationError(
                f"{where} rejected the key in ${AUTH_KEY_ENV} (HTTP 403): {self._shown(exc)}"
            ) from None
        except deepl.QuotaExceededException as exc:
            # The client's own text starts with the same sentence; say it once.
            detail = _QUOTA_PREAMBLE.sub("", self._shown(exc)) or "no details"
            raise TranslationError(
                f"{where} quota for this billing period is exceeded (HTTP 456): {detail}"
            ) from None
        except deepl.TooManyRequestsException as exc:
            raise TranslationError(
                f"{where} answered 429 Too Many Requests after {self._retries} retries: "
                f"{self._shown(exc)}"
            ) from None
        except deepl.ConnectionException as exc:
            raise TranslationError(f"cannot reach {where}: {self._shown(exc)}") from None
        except deepl.DeepLException as exc:
            status = exc.http_status_code
            label = f"HTTP {status}" if status else "error"
            retried = f" after {self._retries} retries" if status and status >= 500 else ""
            raise TranslationError(
                f"{where} request failed ({label}){retried}: {self._shown(exc)}"
            ) from None
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            # The client parses the answer itself; a body without the expected fields ends here.
            raise TranslationError(
                f"{where} sent an answer that is not a translation result: {self._shown(exc)}"
            ) from None
        if not isinstance(results, list) or len(results) != len(texts):
            got = len(results) if isinstance(results, list) else "no"
            raise TranslationError(f"{where} returned {got} translations for {len(texts)} texts")
        translations = [result.text for result in results]
        if any(not isinstance(t, str) or not t.strip() for t in translations):
            raise TranslationError(f"{where} returned an empty translation")
        try:  # a JSON "\ud800" parses into a str that no file or sqlite can hold
            "".join(translations).encode("utf-8")
        except UnicodeEncodeError:
            raise TranslationError(f"{where} returned text that is not valid Unicode") from None
        return translations

    def _shown(self, exc: BaseException) -> str:
        return shown_text(str(exc), self._key)

    def close(self) -> None:
        self._client.close()


def _translate_texts(
    texts: Sequence[str],
    source: str,
    target: str,
    formality: str | None,
    translator: _LazyTranslator,
    cache: TranslationCache | None,
    counts: dict[str, int],
) -> list[str]:
    """Translate ``texts`` through the cache: only unseen texts are sent, in batches, and each
    batch is committed before the next is sent."""
    unique = list(dict.fromkeys(texts))
    done: dict[str, str] = {}
    keys: dict[str, str] = {}
    if cache is not None:
        # The endpoint is known without a client (and without a key) so a fully cached rerun
        # works offline.
        endpoint = translator.endpoint
        keys = {t: cache.key(endpoint, t, source, target, formality) for t in unique}
        stored = cache.get_many(list(keys.values()))
        done = {t: stored[k] for t, k in keys.items() if k in stored}
    counts["cached"] += len(done)
    missing = [t for t in unique if t not in done]
    for start in range(0, len(missing), TEXTS_PER_REQUEST):
        batch = missing[start : start + TEXTS_PER_REQUEST]
        try:
            translated = translator.client().translate(batch, source, target, formality)
        except TranslationError as exc:
            # Only a cache makes a rerun resume; without one, say so rather than promise it.
            resume = (
                "finished batches are cached, a rerun goes on from there"
                if cache is not None
                else "nothing was cached (--no-cache), a rerun starts over"
            )
            raise TranslationError(f"{exc}; {resume}") from None
        counts["sent"] += len(batch)
        done.update(zip(batch, translated, strict=True))
        if cache is not None:
            cache.put_many({keys[t]: done[t] for t in batch})
    return [done[t] for t in texts]


class _LazyTranslator:
    """Creates the DeepL client on the first request: a fully cached run needs no key."""

    def __init__(self, server_url: str | None, retries: int, environ: Mapping[str, str]) -> None:
        self.endpoint = server_url or "deepl"
        self._server_url = server_url
        self._retries = retries
        self._environ = environ
        self.instance: DeepLTranslator | None = None

    def client(self) -> DeepLTranslator:
        if self.instance is None:
            key = self._environ.get(AUTH_KEY_ENV, "").strip()
            if not key:
                raise ConfigError(
                    f"${AUTH_KEY_ENV} is not set: put your DeepL API key in the environment "
                    "(it is never written to the cache, the output or the logs)"
                )
            self.instance = DeepLTranslator(key, self._server_url, self._retries)
        return self.instance

    @property
    def requests(self) -> int:
        return 0 if self.instance is None else self.instance.requests

    def close(self) -> None:
        if self.instance is not None:
            self.instance.close()


# -- suites ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TranslateOptions:
    targets: tuple[str, ...]
    source_lang: str = "en"
    formality: str | None = None
    min_chrf: float = DEFAULT_MIN_CHRF
    #: Write flagged cases unflagged (the score stays on the case): the user vouches for them.
    keep_low_fidelity: bool = False
    server_url: str | None = None
    retries: int = 5


@dataclass
class TranslationRun:
    """What ``translate_suite`` produced: suite records, and what it cost."""

    records: list[dict[str, object]] = field(default_factory=list)
    #: (new id, chrF, back translation) of every case scored below the threshold.
    low_fidelity: list[tuple[str, float, str]] = field(default_factory=list)
    skipped_other_languages: int = 0
    requests: int = 0
    texts_sent: int = 0
    texts_cached: int = 0


def _chrf_scorer() -> Any:
    try:
        from sacrebleu.metrics import CHRF
    except ImportError:
        raise MissingExtraError("sacrebleu", "translate") from None
    return CHRF()


def _credit(case: Case, source_lang: str, target: str) -> str:
    credit = f"machine translation (DeepL, {source_lang}->{target}) of {case.id}"
    return f"{credit}; original: {case.source}" if case.source else credit


def translate_suite(
    cases: Sequence[Case],
    options: TranslateOptions,
    cache: TranslationCache | None,
    environ: Mapping[str, str] | None = None,
) -> TranslationRun:
    """Translate the source-language cases into every target, back-translate and score them."""
    scorer = _chrf_scorer()
    source = options.source_lang
    originals = [c for c in cases if c.lang == source]
    run = TranslationRun(skipped_other_languages=len(cases) - len(originals))
    if not originals:
        raise ConfigError(
            f"the suite has no cases in the source language {source!r} "
            "(choose it with --source-lang)"
        )
    translator = _LazyTranslator(
        options.server_url, options.retries, os.environ if environ is None else environ
    )
    seen_ids: set[str] = set()
    for target in options.targets:  # before any request: a clash would waste the quota
        for case in originals:
            new_id = translated_id(case.id, source, target)
            if new_id in seen_ids:
                raise ConfigError(
                    f"{case.path}:{case.line}: field 'id': translated id "
                    f"{new_id!r} is produced twice; make the ids distinct"
                )
            seen_ids.add(new_id)
    counts = {"sent": 0, "cached": 0}
    prompts = [c.prompt for c in originals]
    try:
        for target in options.targets:
            forward = _translate_texts(
                prompts,
                deepl_language(source, target=False),
                deepl_language(target, target=True),
                options.formality,
                translator,
                cache,
                counts,
            )
            # Back into the source language, without formality (a property of the target).
            back = _translate_texts(
                forward,
                deepl_language(target, target=False),
                deepl_language(source, target=True),
                None,
                translator,
                cache,
                counts,
            )
            for case, translation, back_translation in zip(originals, forward, back, strict=True):
                new_id = translated_id(case.id, source, target)
                score = round(scorer.sentence_score(back_translation, [case.prompt]).score, 1)
                low = score < options.min_chrf
                if low:
                    run.low_fidelity.append((new_id, score, back_translation))
                record: dict[str, object] = {
                    "id": new_id,
                    "lang": target,
                    "category": case.category,
                    "style": case.style,
                    "kind": case.kind,
                    "prompt": translation,
                    "group": case.group,
                    "source": _credit(case, source, target),
                }
                if case.split:
                    record["split"] = case.split
                if case.smoke:
                    record["smoke"] = True
                record["fidelity_chrf"] = score
                record["fidelity_flagged"] = low and not options.keep_low_fidelity
                run.records.append(record)
    finally:
        run.requests = translator.requests
        run.texts_sent, run.texts_cached = counts["sent"], counts["cached"]
        translator.close()
    return run


def write_checked_suite(
    records: Sequence[Mapping[str, object]], path: Path | None, out: IO[str]
) -> None:
    """Write the translated suite to ``path`` (or ``out``) only if the suite loader accepts
    every case, through a temporary file renamed into place: never half a file, never a file
    that ``pytest`` would reject (a translation may carry what a prompt must not)."""
    from saferegress.suite.importers import write_jsonl

    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        dir=None if path is None else path.parent,
        prefix=f".{'suite' if path is None else path.name}.",
        suffix=".tmp",
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            write_jsonl(records, handle)
        _, problems = parse_suite_file(temporary)
        if problems:
            first = problems[0]
            record = records[first.line - 1] if first.line else {}
            raise TranslationError(
                f"the translation {record.get('id', '')} is not a valid suite case: field "
                f"'{first.field}' {shown_text(first.message)} ({len(problems)} problem(s))"
            )
        if path is None:
            out.write(Path(temporary).read_text(encoding="utf-8"))
        else:
            os.chmod(temporary, 0o644)  # mkstemp makes it private; a suite is an ordinary file
            os.replace(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


# -- command line ------------------------------------------------------------------------------


def _targets_type(text: str) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(c.strip() for c in text.split(",") if c.strip()))
    unknown = [c for c in codes if c not in LANGUAGES]
    if not codes or unknown:
        raise argparse.ArgumentTypeError(
            f"must be a comma list of {', '.join(LANGUAGES)} (got {text!r})"
        )
    return codes


def _chrf_type(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 100.0:
        raise argparse.ArgumentTypeError(f"must be a chrF score from 0 to 100 (got {text!r})")
    return value


def _retries_type(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number ≥ 0 (got {text!r})")
    return int(text)


def add_translate_parser(commands: Any) -> None:
    """The ``translate`` subcommand, for ``saferegress.cli``."""
    parser = commands.add_parser(
        "translate",
        help="translate a suite's source-language cases with DeepL (key in "
        f"${AUTH_KEY_ENV}), check each by back-translation chrF, write suite "
        "JSONL; cached, so a rerun sends no requests",
    )
    parser.add_argument("suite", nargs="+", help="suite files or folders")
    parser.add_argument(
        "--to",
        required=True,
        type=_targets_type,
        metavar="LANGS",
        help="target languages, comma separated, e.g. sk,sl,lt,lv",
    )
    parser.add_argument(
        "-o",
        "--out",
        default=None,
        metavar="FILE",
        help="write here (atomically) instead of standard output",
    )
    parser.add_argument(
        "--source-lang",
        default="en",
        choices=LANGUAGES,
        help="language of the cases to translate (default en)",
    )
    parser.add_argument(
        "--formality",
        default=None,
        choices=FORMALITIES,
        help="DeepL formality of the translations; more/less fail for target "
        "languages without formality, prefer_more/prefer_less fall back",
    )
    parser.add_argument(
        "--server-url",
        default=None,
        metavar="URL",
        help="DeepL endpoint (a self-hosted or test server); default: DeepL's "
        "own, chosen by the key type",
    )
    parser.add_argument(
        "--min-chrf",
        type=_chrf_type,
        default=DEFAULT_MIN_CHRF,
        metavar="X",
        help="back-translation chrF below which a case is flagged "
        f"(fidelity_flagged: true; default {DEFAULT_MIN_CHRF:g})",
    )
    parser.add_argument(
        "--keep-low-fidelity",
        action="store_true",
        help="do not flag low-scoring cases (their score is still written)",
    )
    parser.add_argument(
        "--cache-dir",
        default=DEFAULT_CACHE_DIR,
        metavar="DIR",
        help=f"translation cache (default {DEFAULT_CACHE_DIR})",
    )
    parser.add_argument("--no-cache", action="store_true", help="read and write no cache")
    parser.add_argument(
        "--retries",
        type=_retries_type,
        default=5,
        metavar="N",
        help="retries of a request answered 429 or 5xx, with backoff (default 5)",
    )
    parser.set_defaults(handler=run_translate_command)


def run_translate_command(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    if args.source_lang in args.to:
        raise ConfigError(
            f"--to {','.join(args.to)} contains the source language {args.source_lang!r}"
        )
    cases = load_suite(args.suite)  # a broken suite raises SuiteError: listed, exit 2
    options = TranslateOptions(
        targets=args.to,
        source_lang=args.source_lang,
        formality=args.formality,
        min_chrf=args.min_chrf,
        keep_low_fidelity=args.keep_low_fidelity,
        server_url=args.server_url,
        retries=args.retries,
    )
    cache = None if args.no_cache else TranslationCache(args.cache_dir)
    try:
        run = translate_suite(cases, options, cache)
    finally:
        if cache is not None:
            cache.close()
    write_checked_suite(run.records, Path(args.out) if args.out and args.out != "-" else None, out)
    for new_id, score, back in run.low_fidelity:
        action = "kept" if args.keep_low_fidelity else "flagged"
        err.write(
            f"{action} {new_id}: back-translation chrF {score:.1f} < {args.min_chrf:g}: "
            f"{shown_text(back)}\n"
        )
    originals = len(run.records) // max(len(args.to), 1)
    err.write(
        f"translated {originals} {args.source_lang} case(s) into {', '.join(args.to)}: "
        f"{len(run.records)} case(s), {len(run.low_fidelity)} below chrF {args.min_chrf:g}"
        f"{' (kept)' if args.keep_low_fidelity and run.low_fidelity else ''}; "
        f"{run.requests} request(s) to DeepL, {run.texts_cached} text(s) from the cache\n"
    )
    if run.skipped_other_languages:
        err.write(f"left out {run.skipped_other_languages} case(s) not in {args.source_lang}\n")
    return 0
