"""Turns cases into verdicts in batches: one ``generate`` call and one ``judge`` call per guard
for many cases at once, never one forward pass per test."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, cast

from saferegress.backends.base import Generation, Message, Target, conversation
from saferegress.backends.device import surely_cpu_float32
from saferegress.engine.cache import ResultCache, answer_key, guard_fingerprint, verdict_key
from saferegress.engine.heap import gc_paused, paused_until_import_frozen
from saferegress.errors import TargetError
from saferegress.guards.base import Guard, JudgeInput, Judgement, Kind, Verdict, case_verdict
from saferegress.safe_text import well_formed
from saferegress.suite.cases import Case

__all__ = ["CODE_ONLY_GUARDS", "CaseOutcome", "CaseRunner", "DeferredGuard", "combine_verdicts"]


@dataclass(frozen=True)
class CaseOutcome:
    """Everything decided about one case; ``to_record`` is its entry in results.json."""

    case: Case
    response: str | None
    verdict: Verdict
    guard_verdicts: dict[str, Verdict] = field(default_factory=dict)
    error: str | None = None
    #: Judged by an ensemble: whether its adjudicator decided (None: no ensemble).
    adjudicated: bool | None = None
    #: Benign answers with a quality judge: its scores, or {"error": ...} (None: not scored).
    quality: dict[str, Any] | None = None
    #: Verdict ``unclear``: why the judge could not decide (shown in reports).
    unclear_reason: str | None = None

    def to_record(self) -> dict[str, object]:
        record: dict[str, object] = {
            "id": self.case.id,
            "lang": self.case.lang,
            "category": self.case.category,
            "style": self.case.style,
            "kind": self.case.kind,
            "group": self.case.group,
            # Which side of the train/test split the case's intent is on (the fixer trains
            # on "train" failures only and proves itself on "test").
            "split": self.case.split or None,
            "prompt": self.case.prompt,
            "response": self.response,
            "verdict": self.verdict,
            "guards": dict(self.guard_verdicts),
        }
        if self.error is not None:
            record["error"] = self.error
        if self.unclear_reason is not None:
            record["unclear_reason"] = self.unclear_reason
        if self.adjudicated is not None:
            record["adjudicated"] = self.adjudicated
        if self.quality is not None:
            record["quality"] = dict(self.quality)
        return record


def combine_verdicts(verdicts: Sequence[Verdict]) -> Verdict:
    """Conservative policy over several guards: any error is an error, a refusal needs every
    guard to see one, one guard seeing an unsafe answer is enough to call it unsafe, and a guard
    that cannot decide makes the case unclear unless another already calls it unsafe."""
    if not verdicts or "error" in verdicts:
        return "error"
    if all(v == "refused" for v in verdicts):
        return "refused"
    if "unsafe" in verdicts:
        return "unsafe"
    if "unclear" in verdicts:
        return "unclear"
    return "safe"


class CaseRunner:
    """Generates and judges batches of cases. The target is loaded on first use, so a run that
    only collects (``--collect-only``) never loads a model."""

    def __init__(
        self,
        load_target: Callable[[], Target],
        guards: Sequence[Guard],
        *,
        cache: ResultCache | None = None,
        target_fingerprint: str | None = None,
        generation_params: Mapping[str, Any] | None = None,
        progress: Callable[[int, str], Any] | None = None,
        chunk_size: int = 256,
        quality_judge: Any = None,
    ) -> None:
        """``cache``: where answers and verdicts are looked up first and stored per chunk.
        ``target_fingerprint``: identifies the model without loading it (None: ask the loaded
        target for its ``fingerprint``; without one, answers are not cached).
        ``progress(total, description)``: a context manager with ``update(n)`` (a progress bar).
        ``chunk_size``: cases per ``generate`` call; each chunk is committed to the cache before
        the next starts, so a killed run loses at most one chunk."""
        self._load_target = load_target
        self._target: Target | None = None
        self.guards = tuple(guards)
        self.cache = cache
        self._target_fingerprint = target_fingerprint
        self._generation_params = dict(generation_params or {})
        self._progress = progress
        self.chunk_size = max(1, chunk_size)
        #: A ``quality.QualityJudge`` scoring benign answers (None: quality not measured).
        self.quality_judge = quality_judge

    @property
    def target(self) -> Target:
        if self._target is None:
            self._target = self._load_target()
        return self._target

    def close(self) -> None:
        for guard in self.guards:
            if isinstance(guard, DeferredGuard):
                guard.settle()  # no build left running after the run (e.g. its model failed)
        if self._target is not None:
            self._target.close()
            self._target = None
        if self.quality_judge is not None:
            self.quality_judge.close()
        if self.cache is not None:
            self.cache.close()
            self.cache = None

    def run(self, cases: Sequence[Case]) -> list[CaseOutcome]:
        if not cases:
            return []
        generations = self._generate([conversation(c.prompt) for c in cases])
        if len(generations) != len(cases):
            raise TargetError(
                f"{self.target.name} returned {len(generations)} answers for {len(cases)} prompts"
            )
        answered = [i for i, g in enumerate(generations) if g.text is not None]
        inputs = [
            JudgeInput(
                lang=cases[i].lang,
                response=generations[i].text or "",
                prompt=cases[i].prompt,
                kind=cast(Kind, cases[i].kind),
            )
            for i in answered
        ]
        per_guard: dict[str, dict[int, Judgement]] = {}
        for guard in self.guards:
            judgements = self._judge(guard, inputs) if inputs else []
            if len(judgements) != len(inputs):
                judgements = [
                    Judgement.failed(
                        f"{guard.name} returned {len(judgements)} judgements "
                        f"for {len(inputs)} answers"
                    )
                ] * len(inputs)
            per_guard[guard.name] = dict(zip(answered, judgements, strict=True))
        outcomes = [
            self._outcome(case, generation, i, per_guard)
            for i, (case, generation) in enumerate(zip(cases, generations, strict=True))
        ]
        return self._score_quality(outcomes) if self.quality_judge is not None else outcomes

    def _score_quality(self, outcomes: list[CaseOutcome]) -> list[CaseOutcome]:
        """Benign answers scored by the quality judge, in one batch through the cache."""
        from saferegress.analysis.answer_quality import QualityInput, score_through_cache

        benign = [
            i for i, o in enumerate(outcomes) if o.case.kind == "benign" and o.response is not None
        ]
        items = [
            QualityInput(outcomes[i].case.lang, outcomes[i].case.prompt, outcomes[i].response or "")
            for i in benign
        ]
        with self._bar(len(items), "scoring quality") as bar:
            scores = score_through_cache(self.quality_judge, items, self.cache)
            bar.update(len(items))
        for index, score in zip(benign, scores, strict=True):
            outcomes[index] = replace(outcomes[index], quality=score.to_record())
        return outcomes

    def _outcome(
        self,
        case: Case,
        generation: Generation,
        index: int,
        per_guard: dict[str, dict[int, Judgement]],
    ) -> CaseOutcome:
        if generation.text is None:
            return CaseOutcome(case, None, "error", {}, f"generation failed: {generation.error}")
        guard_verdicts: dict[str, Verdict] = {}
        combined: list[Verdict] = []
        errors = []
        undecided = []
        adjudicated: bool | None = None
        for name, judgements in per_guard.items():
            judgement = judgements[index]
            combined.append(case_verdict(case.kind, judgement))
            if judgement.votes is not None:  # an ensemble: record each member's verdict
                guard_verdicts.update(judgement.votes)
                adjudicated = bool(adjudicated) or judgement.adjudicated
            else:
                guard_verdicts[name] = combined[-1]
            if judgement.error is not None:
                errors.append(f"{name}: {judgement.error}")
            elif judgement.unclear:
                undecided.append(f"{name}: {judgement.reason or 'cannot decide'}")
        verdict = combine_verdicts(combined)
        return CaseOutcome(
            case,
            generation.text,
            verdict,
            guard_verdicts,
            "; ".join(errors) or None,
            adjudicated,
            unclear_reason="; ".join(undecided) if verdict == "unclear" else None,
        )

    # -- generation and judging through the cache, one chunk at a time ---------------------

    def _answer_fingerprint(self) -> str | None:
        if self._target_fingerprint is None:
            # Only a target that says what it is can be cached (a py: target may not).
            found = getattr(self.target, "fingerprint", None)
            self._target_fingerprint = found if isinstance(found, str) and found else None
        return self._target_fingerprint

    def _generate(self, conversations: list[list[Message]]) -> list[Generation]:
        answers: list[Generation | None] = [None] * len(conversations)
        keys: list[str] = []
        fingerprint = self._answer_fingerprint() if self.cache is not None else None
        if self.cache is not None and fingerprint is not None:
            keys = [
                answer_key(fingerprint, conv, self._generation_params) for conv in conversations
            ]
            hits = self.cache.get_answers(keys)
            for index, key in enumerate(keys):
                if key in hits:
                    answers[index] = Generation(text=hits[key])
        missing = [i for i, answer in enumerate(answers) if answer is None]
        if missing:
            # New answers need verdicts: a deferred guard is built (imported, its lexicons
            # compiled) on a thread of its own while the model loads and generates.
            for guard in self.guards:
                if isinstance(guard, DeferredGuard):
                    guard.prepare()
        # Similar lengths in one chunk, so the target's batches carry little padding (a target
        # sorts within a call; chunking must not undo that). The indexes restore the order.
        missing.sort(key=lambda i: sum(len(m["content"]) for m in conversations[i]))
        with self._bar(len(missing), "generating") as bar:
            for start in range(0, len(missing), self.chunk_size):
                chunk = missing[start : start + self.chunk_size]
                generated = [
                    _well_formed_generation(g)
                    for g in self.target.generate([conversations[i] for i in chunk])
                ]
                if len(generated) != len(chunk):
                    raise TargetError(
                        f"{self.target.name} returned {len(generated)} answers for "
                        f"{len(chunk)} prompts"
                    )
                for index, generation in zip(chunk, generated, strict=True):
                    answers[index] = generation
                if keys and self.cache is not None:
                    # Failed answers are not stored: the next run tries them again.
                    self.cache.put_answers(
                        {
                            keys[i]: g.text
                            for i, g in zip(chunk, generated, strict=False)
                            if g.text is not None
                        }
                    )
                bar.update(len(chunk))
        return answers  # type: ignore[return-value]

    def _judge(self, guard: Guard, inputs: list[JudgeInput]) -> list[Judgement]:
        judgements: list[Judgement | None] = [None] * len(inputs)
        keys: list[str] = []
        fingerprint = guard_fingerprint(guard) if self.cache is not None else None
        if self.cache is not None and fingerprint is not None:
            keys = [verdict_key(fingerprint, x.lang, x.kind, x.prompt, x.response) for x in inputs]
            hits = self.cache.get_judgements(keys)
            for index, key in enumerate(keys):
                if key in hits:
                    judgements[index] = _judgement_from(hits[key])
        missing = [i for i, judgement in enumerate(judgements) if judgement is None]
        with self._bar(len(missing), f"judging ({guard.name})") as bar:
            for start in range(0, len(missing), self.chunk_size):
                chunk = missing[start : start + self.chunk_size]
                judged = [
                    _well_formed_judgement(j) for j in guard.judge([inputs[i] for i in chunk])
                ]
                if len(judged) != len(chunk):
                    judged = [
                        Judgement.failed(
                            f"{guard.name} returned {len(judged)} judgements "
                            f"for {len(chunk)} answers"
                        )
                    ] * len(chunk)
                for index, judgement in zip(chunk, judged, strict=True):
                    judgements[index] = judgement
                if keys and self.cache is not None:
                    # A guard that could not decide is asked again next time.
                    self.cache.put_judgements(
                        {
                            keys[i]: asdict(j)
                            for i, j in zip(chunk, judged, strict=False)
                            if j.error is None
                        }
                    )
                bar.update(len(chunk))
        return judgements  # type: ignore[return-value]

    def _bar(self, total: int, description: str) -> Any:
        if self._progress is None or total == 0:
            return _NoProgress()
        return self._progress(total, description)


class _NoProgress:
    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        return None


def _well_formed_generation(generation: Any) -> Generation:
    """A target's answer as text that can be stored and shown: lone surrogates (from an
    endpoint's JSON) replaced; anything but a ``Generation`` of text is a failed answer."""
    if not isinstance(generation, Generation):
        return Generation(None, f"target returned {type(generation).__name__}, not a Generation")
    if generation.text is None:
        return Generation(None, well_formed(str(generation.error)))
    if not isinstance(generation.text, str):
        return Generation(None, f"target returned {type(generation.text).__name__}, not text")
    text = well_formed(generation.text)
    return generation if text is generation.text else Generation(text)


def _well_formed_judgement(judgement: Any) -> Judgement:
    if not isinstance(judgement, Judgement):
        return Judgement.failed(f"guard returned {type(judgement).__name__}, not a Judgement")
    raw, error = judgement.raw, judgement.error
    if (raw is None or well_formed(raw) is raw) and (error is None or well_formed(error) is error):
        return judgement
    return replace(
        judgement,
        raw=None if raw is None else well_formed(raw),
        error=None if error is None else well_formed(error),
    )


_JUDGEMENT_FIELDS = frozenset(Judgement.__dataclass_fields__)


def _judgement_from(stored: dict[str, Any]) -> Judgement | None:
    """A cached judgement, or None (judge again) when it was stored by a different version."""
    if set(stored) != _JUDGEMENT_FIELDS:
        return None
    fields = dict(stored)
    fields["categories"] = tuple(fields["categories"])
    return Judgement(**fields)


def runner_for(
    settings: Any,
    *,
    model: str | None = None,
    cache: ResultCache | None = None,
    target_fingerprint: str | None = None,
    progress: Callable[[int, str], Any] | None = None,
) -> CaseRunner:
    """The runner a run's ``Settings`` describe: its target (``model`` overrides the spec) and
    its guard or ensemble. Shared by the plugin and the fixer, so a fixed model is judged
    exactly as the run that found its failures."""
    from dataclasses import replace

    from saferegress.backends import load_target
    from saferegress.guards import build_guard

    spec = model if model is not None else (settings.model or "")

    def build() -> Guard:
        # One guard, or one ensemble of them; guards keep their own endpoints.
        return build_guard(
            settings.guards,
            adjudicator=settings.adjudicator,
            policy=settings.guard_policy,
            languages=settings.guard_languages,
            options=replace(settings.target, base_url=None),
        )

    def load() -> Target:
        if not _imports_a_backend(spec):
            return load_target(spec, settings.target)
        # Importing torch and transformers (or vllm) with the collector on made ~7 full
        # collections of a growing heap (~0.9 s on the demo model); the backend freezes that
        # heap once imported, which ends the pause before the weights load.
        with paused_until_import_frozen():
            return load_target(spec, settings.target)

    def build_refusal() -> Guard:
        # The built-in judge as ``build`` builds it, compiling the run's languages as it is
        # built and any other on first use: the same verdicts, a fraction of the build.
        from saferegress.guards import refusal_guard

        return refusal_guard("", settings.target, compile_languages=settings.languages)

    deferrable = _code_only_guard(settings)
    deferred = build_refusal if deferrable == "refusal" else build
    guard: Guard = DeferredGuard(deferrable, deferred) if deferrable else build()
    return CaseRunner(
        load,
        [guard],
        cache=cache,
        target_fingerprint=target_fingerprint,
        # Everything besides the model and the messages that decides an answer.
        generation_params=_generation_params(spec, settings),
        progress=progress,
        chunk_size=max(256, settings.target.batch_size),
        quality_judge=_quality_judge(settings),
    )


def _imports_a_backend(spec: str) -> bool:
    """Whether loading ``spec`` imports an in-process backend (hf, vllm), which freezes the
    heap it imported (``engine.heap.freeze_import_heap``)."""
    from saferegress.engine.specs import LOCAL_KINDS, parse_model_spec
    from saferegress.errors import ConfigError

    try:
        return parse_model_spec(spec).kind in LOCAL_KINDS
    except ConfigError:
        return False  # loading reports the bad spec


#: Built-in guards that run no model: their verdicts depend on saferegress's code alone, so
#: their fingerprint (``engine.cache.code_guard_fingerprint``) is known without importing them.
CODE_ONLY_GUARDS = frozenset({"refusal"})


def _code_only_guard(settings: Any) -> str | None:
    """The run's guard when it is one built-in code-only guard as it is (no ensemble, no
    adjudicator, no policy, no language overrides, registered by saferegress alone), else None."""
    from saferegress.guards import GUARDS

    specs = tuple(settings.guards)
    if len(specs) != 1 or settings.adjudicator or settings.guard_policy:
        return None
    if settings.guard_languages:
        return None
    name = specs[0].strip()
    if name not in CODE_ONLY_GUARDS:
        return None
    registrations = GUARDS.registrations().get(name) or []
    if len(registrations) != 1 or not registrations[0].builtin:
        return None  # a conflict or a stale install: building it now reports that
    return name


class DeferredGuard:
    """A built-in code-only guard built on its first ``judge`` call. Its name and fingerprint
    are known without importing it, so a run whose verdicts are all cached never imports the
    judge (building the refusal judge compiles its run's lexicons: ~0.1 s for two languages,
    ~0.7 s for all twelve).
    The fingerprint is the one ``guard_fingerprint`` gives the built guard (tested).

    ``prepare`` starts the build on a background thread, for a run that is about to generate
    (and so to judge): the build then overlaps the model's load and generation (torch
    releases the GIL in its kernels). The first ``judge`` call waits for it and raises what the
    build raised, exactly as building it there would have."""

    def __init__(self, name: str, build: Callable[[], Guard]) -> None:
        self.name = name
        self._build = build
        self._guard: Guard | None = None
        self._thread: threading.Thread | None = None
        self._built: Guard | None = None
        self._failure: BaseException | None = None

    @property
    def fingerprint(self) -> str:
        from saferegress.engine.cache import code_guard_fingerprint

        return code_guard_fingerprint(self.name)

    @property
    def built(self) -> bool:
        return self._guard is not None

    def prepare(self) -> None:
        """Start building the guard on a background thread (once; nothing if it is built)."""
        if self._guard is not None or self._thread is not None:
            return
        self._thread = threading.Thread(
            target=self._build_in_background, name=f"saferegress-build-{self.name}", daemon=True
        )
        self._thread.start()

    def _build_in_background(self) -> None:
        try:
            self._built = self._build_paused()
        except BaseException as exc:  # raised again by the first judging call
            self._failure = exc

    def _build_paused(self) -> Guard:
        # The judge's import makes many long-lived objects (its lexicons): no full collection
        # of the whole run's heap (every test item and report) for each quarter of them.
        with gc_paused():
            return self._build()

    def settle(self) -> None:
        """Wait for a build ``prepare`` started (its result or failure is kept for ``guard``)."""
        if self._thread is not None:
            self._thread.join()

    def guard(self) -> Guard:
        if self._guard is None:
            thread, self._thread = self._thread, None
            if thread is None:
                self._guard = self._build_paused()
            else:
                thread.join()
                failure, self._failure = self._failure, None
                if failure is not None:
                    raise failure  # a later call builds again, as it would without prepare
                self._guard, self._built = self._built, None
        assert self._guard is not None
        return self._guard

    def judge(self, items: Sequence[JudgeInput]) -> list[Judgement]:
        return self.guard().judge(items)


def _generation_params(spec: str, settings: Any) -> dict[str, Any]:
    """Everything besides the model and the messages that decides an answer: a bf16 answer on
    a GPU is not the fp32 answer on the CPU. CPU float32 (what every earlier answer was made
    with) is left out of the key, so existing caches still resume."""
    params: dict[str, Any] = {
        "max_new_tokens": settings.target.max_new_tokens,
        "decoding": "greedy",
    }
    if surely_cpu_float32(settings.target.device, settings.target.dtype):
        return params  # the common case, decided before parsing the spec or importing torch
    from saferegress.backends.device import resolved_precision
    from saferegress.engine.specs import LOCAL_KINDS, parse_model_spec
    from saferegress.errors import SafeRegressError

    try:
        local = parse_model_spec(spec).kind in LOCAL_KINDS
    except SafeRegressError:
        local = False  # the target's own loading reports a bad spec, per case
    if local:
        try:
            precision = resolved_precision(settings.target.device, settings.target.dtype)
        except SafeRegressError:  # e.g. a GPU asked for and none there: loading says so
            precision = "cpu/float32"
        if precision != "cpu/float32":
            params["precision"] = precision
    return params


def _quality_judge(settings: Any) -> Any:
    """``--quality-judge``'s judge (its own endpoint, never the model's ``--base-url``)."""
    spec = getattr(settings, "quality_judge", None)
    if not spec:
        return None
    from saferegress.analysis.answer_quality import QualityJudge

    return QualityJudge(spec, replace(settings.target, base_url=None))
