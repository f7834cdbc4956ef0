"""Fix and prove: a run's train-split failures become pairs, DPO retrains the model, and the
held-out test split (intents never trained on) is judged on the base and the fixed model, the
same way the run judged them.

Used by ``saferegress fix``, ``saferegress transfer`` and ``pytest --fix``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

from saferegress.analysis.metrics import Tally
from saferegress.analysis.results import evaluate_gate, tally_by, write_results
from saferegress.engine.specs import parse_model_spec
from saferegress.suite.cases import Case

from ..errors import ConfigError
from ..languages import LANGUAGES
from .launch import Launch
from .pairs import build_pairs, write_pairs
from .train import FixConfig

__all__ = [
    "FixReport",
    "LanguageProof",
    "cases_from_records",
    "evaluate",
    "fix_model",
    "fixed_model_spec",
    "trainable_checkpoint",
]

Log = Callable[[str], None]

#: Pairs that teach a refusal (the anchors only keep what the model already does right).
TRAINING_PURPOSES = ("fix", "borrowed")


def _quiet(_: str) -> None:
    return None


def trainable_checkpoint(spec: str) -> Path:
    """The local HF checkpoint a model spec names (``demo``, ``PATH``, ``hf:PATH``,
    ``vllm:PATH``): the fixer retrains weights, so endpoints cannot be fixed here."""
    parsed = parse_model_spec(spec)
    path = parsed.path
    if path is None:
        raise ConfigError(
            f"--model {parsed}: the fixer retrains local Hugging Face checkpoints "
            "(demo, PATH, hf:PATH, vllm:PATH); an endpoint's weights cannot be trained here"
        )
    if not (path / "config.json").is_file():
        raise ConfigError(f"--model {parsed}: no Hugging Face checkpoint (config.json) at {path}")
    return path.resolve()


def fixed_model_spec(base: str, fixed: Path) -> str:
    """The spec the fixed checkpoint is judged as: on its base's engine, since HF and vLLM may
    differ on near-tie greedy choices."""
    return f"{parse_model_spec(base).kind}:{fixed}"


def cases_from_records(records: Sequence[Mapping[str, Any]]) -> list[Case]:
    """The cases results.json records describe, so a rerun asks exactly the same prompts."""
    return [
        Case(
            id=str(r["id"]),
            lang=str(r["lang"]),
            category=str(r["category"]),
            kind=str(r["kind"]),
            prompt=str(r["prompt"]),
            style=str(r.get("style") or "plain"),
            group=str(r.get("group") or ""),
            split=str(r.get("split") or ""),
        )
        for r in records
    ]


def evaluate(
    model: str, cases: Sequence[Case], settings: Any, *, cache: Any = None, progress: Any = None
) -> list[dict[str, Any]]:
    """Generate and judge ``cases`` on ``model`` with the run's guards; case records."""
    from saferegress.engine.fingerprints import model_fingerprint
    from saferegress.engine.runner import runner_for

    runner = runner_for(
        settings,
        model=model,
        cache=cache,
        target_fingerprint=model_fingerprint(model, settings.target.base_url)
        if cache is not None
        else None,
        progress=progress,
    )
    try:
        return [outcome.to_record() for outcome in runner.run(list(cases))]
    finally:
        # The runner closes the cache it was given; callers pass a fresh one per evaluation.
        runner.close()


@dataclass(frozen=True)
class LanguageProof:
    """One language's held-out figures before and after the fix."""

    lang: str
    pairs: int
    before: Tally
    after: Tally
    #: Answers in the prompt's language / answers identified (None: not measured).
    consistency_before: Any = None
    consistency_after: Any = None

    def to_dict(self) -> dict[str, Any]:
        def side(tally: Tally) -> dict[str, Any]:
            asr, over = tally.asr, tally.over_refusal
            return {
                "attacks": asr.n,
                "unsafe": asr.hits,
                "asr": asr.value,
                "ci95": [round(x, 4) for x in asr.ci95],
                "benign": over.n,
                "over_refused": over.hits,
                "over_refusal": over.value,
                "over_refusal_ci95": [round(x, 4) for x in over.ci95],
                "errors": tally.errors,
            }

        def consistency(rate: Any) -> dict[str, Any] | None:
            if rate is None:
                return None
            return {
                "value": rate.value,
                "identified": rate.n,
                "ci95": [round(x, 4) for x in rate.ci95],
            }

        before, after = side(self.before), side(self.after)
        before["language_consistency"] = consistency(self.consistency_before)
        after["language_consistency"] = consistency(self.consistency_after)
        return {"pairs": self.pairs, "before": before, "after": after}


@dataclass
class FixReport:
    """What a fix did and what it proved on the held-out split."""

    base: str
    fixed: Path
    train_languages: tuple[str, ...]
    pairs: list[dict[str, Any]]
    training: dict[str, Any]
    languages: list[LanguageProof]
    before_records: list[dict[str, Any]]
    after_records: list[dict[str, Any]]
    breaches_after: tuple[str, ...]
    breaches_before: tuple[str, ...]
    capability: dict[str, Any] | None = None
    files: dict[str, str] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        capability_ok = self.capability is None or self.capability.get("passed", True)
        return not self.breaches_after and capability_ok

    def to_dict(self) -> dict[str, Any]:
        by_lang: dict[str, int] = {}
        for pair in self.pairs:
            by_lang[str(pair["lang"])] = by_lang.get(str(pair["lang"]), 0) + 1
        return {
            "schema": "saferegress/fix/v1",
            "base": self.base,
            "fixed": str(self.fixed),
            "train_languages": list(self.train_languages),
            "pairs": {
                "total": len(self.pairs),
                **{
                    purpose: sum(p.get("purpose") == purpose for p in self.pairs)
                    for purpose in ("fix", "borrowed", "benign-anchor", "refusal-anchor")
                },
                "by_language": by_lang,
            },
            "training": self.training,
            "held_out": {
                "split": "test",
                "cases": len(self.after_records),
                "languages": {p.lang: p.to_dict() for p in self.languages},
            },
            "gate_before": {
                "passed": not self.breaches_before,
                "breaches": list(self.breaches_before),
            },
            "gate_after": {
                "passed": not self.breaches_after,
                "breaches": list(self.breaches_after),
            },
            "capability": self.capability,
            "passed": self.passed,
            "files": dict(self.files),
        }

    def table(self) -> str:
        from tabulate import tabulate

        def rate(r: Any) -> str:
            if r.value is None:
                return "n/a"
            low, high = r.ci95
            return f"{100 * r.value:5.1f}% ({100 * low:.0f}–{100 * high:.0f})"

        def share(r: Any) -> str:
            return "n/a" if r is None or r.value is None else f"{100 * r.value:.0f}%"

        rows = []
        for proof in self.languages:
            b, a = proof.before, proof.after
            delta = (
                ""
                if b.asr.value is None or a.asr.value is None
                else f"{100 * (a.asr.value - b.asr.value):+.1f}"
            )
            rows.append(
                [
                    proof.lang,
                    proof.pairs,
                    rate(b.asr),
                    rate(a.asr),
                    delta,
                    rate(b.over_refusal),
                    rate(a.over_refusal),
                    f"{share(proof.consistency_before)} → {share(proof.consistency_after)}",
                ]
            )
        headers = [
            "lang",
            "pairs",
            "ASR before (95% CI)",
            "ASR after (95% CI)",
            "Δ pts",
            "over-refusal before",
            "over-refusal after",
            "in language",
        ]
        if self.capability is not None:
            deltas = self.capability.get("languages", {})
            headers.append("capability Δ pts")
            for row in rows:
                d = deltas.get(row[0], {}).get("delta")
                row.append("" if d is None else f"{100 * d:+.1f}")
        return tabulate(rows, headers=headers, tablefmt="simple")


def identify_languages(records: list[dict[str, Any]], open_cache: Callable[[], Any] | None) -> None:
    """``detected_language`` on every answer, so the proof shows language consistency too:
    a fix that makes a model refuse Latvian prompts in English is half a fix."""
    from saferegress.analysis.answer_language import annotate_languages

    cache = open_cache() if open_cache is not None else None
    try:
        annotate_languages(records, cache)
    finally:
        if cache is not None:
            cache.close()


def _prove(
    train_pairs: Sequence[Mapping[str, Any]],
    before: list[dict[str, Any]],
    after: list[dict[str, Any]],
) -> list[LanguageProof]:
    pairs_by_lang: dict[str, int] = {}
    for pair in train_pairs:
        pairs_by_lang[str(pair["lang"])] = pairs_by_lang.get(str(pair["lang"]), 0) + 1
    from saferegress.analysis.answer_language import consistency_by_language

    before_t, after_t = tally_by(before, "lang"), tally_by(after, "lang")
    before_c, after_c = consistency_by_language(before), consistency_by_language(after)
    langs = sorted(
        {k[0] for k in before_t} | {k[0] for k in after_t},
        key=lambda x: (LANGUAGES.index(x) if x in LANGUAGES else 99, x),
    )
    return [
        LanguageProof(
            lang,
            pairs_by_lang.get(lang, 0),
            before_t.get((lang,), Tally()),
            after_t.get((lang,), Tally()),
            before_c.get(lang, {}).get("rate"),
            after_c.get(lang, {}).get("rate"),
        )
        for lang in langs
    ]


def held_out_cases(records: Sequence[Mapping[str, Any]]) -> list[Case]:
    test = [r for r in records if r.get("split") == "test"]
    if not test:
        raise ConfigError(
            "the results hold no held-out (split: test) cases to prove the fix on: run the "
            "suite without deselecting them (e.g. no '-m split_train')"
        )
    return cases_from_records(test)


def fix_model(
    *,
    model: str,
    records: Sequence[Mapping[str, Any]],
    out: Path,
    settings: Any,
    report_dir: Path,
    train_languages: Sequence[str] = LANGUAGES,
    config: FixConfig = FixConfig(),
    pairs: list[dict[str, Any]] | None = None,
    borrow_rejected: bool = False,
    refusal_model: str | None = None,
    open_cache: Callable[[], Any] | None = None,
    progress: Any = None,
    capability: Callable[[Path, Path], dict[str, Any]] | None = None,
    before: list[dict[str, Any]] | None = None,
    show_training_progress: bool = False,
    launch: Launch | None = None,
    echo: Log | None = None,
    log: Log = _quiet,
) -> FixReport:
    """Pairs → DPO → held-out proof. ``records`` are a run's case records (results.json
    ``cases``); ``pairs`` replaces building them (reuse a pairs file); ``before``: the base's
    held-out records when already judged (a transfer study judges the base once). Writes the pairs,
    the proof (JSON + table) and the held-out results of both models into ``report_dir``.
    ``launch``: in this process or under ``accelerate launch`` (whose output goes to
    ``echo``, default stderr)."""
    base_dir = trainable_checkpoint(model)
    if Path(out).resolve() == base_dir:
        raise ConfigError(f"--out {out} is the base checkpoint itself: choose a new folder")
    test_cases = held_out_cases(records)
    if pairs is None:
        pairs = build_pairs(
            records, train_languages=set(train_languages), borrow_rejected=borrow_rejected
        )
        if not any(p.get("purpose") in TRAINING_PURPOSES for p in pairs):
            from .train import FixError

            raise FixError(
                f"nothing to fix: no attack of the train split was answered unsafely in "
                f"{', '.join(train_languages)} (anchors alone would only move the model; "
                "--borrow-rejected pairs refusals there with unsafe answers to the same "
                "intents in other languages)"
            )
    if refusal_model is not None:
        from .refusals import write_refusals_with_model

        written = write_refusals_with_model(pairs, refusal_model, settings.target)
        log(
            f"refusals written by {refusal_model}: {written['used']} of {written['asked']} "
            f"used; {written['kept_phrasing']} were not a refusal in the prompt's language "
            "and keep a fixed phrasing"
        )
    report_dir.mkdir(parents=True, exist_ok=True)
    pairs_path = report_dir / "pairs.jsonl"
    write_pairs(pairs, pairs_path)
    counts = {
        purpose: sum(p.get("purpose") == purpose for p in pairs)
        for purpose in ("fix", "borrowed", "benign-anchor", "refusal-anchor")
    }
    log(
        f"pairs: {len(pairs)} ({counts['fix']} unsafe answers to fix, {counts['borrowed']} "
        f"borrowed, {counts['benign-anchor']} benign and {counts['refusal-anchor']} refusal "
        f"anchors) in {', '.join(train_languages)} → {pairs_path}"
    )
    launch = launch or Launch()
    log(
        f"training: DPO beta {config.beta}, lr {config.learning_rate}, {config.epochs} epochs"
        f"{', LoRA' if config.lora else ''}, {launch.describe()} → {out}"
    )
    training = launch.train(
        base_dir, pairs, out, config, show_progress=show_training_progress, echo=echo
    )
    used = training["trained_with"]
    log(
        f"training done: loss {training['train_loss']} ({used['strategy']} on "
        f"{used['world_size']} {used['device']} process(es), {used['precision']}, "
        f"{'LoRA' if used['lora'] else 'full'})"
    )

    def judge(spec: str, what: str) -> list[dict[str, Any]]:
        log(f"held-out rerun ({what}): {len(test_cases)} test-split cases")
        records = evaluate(
            spec,
            test_cases,
            settings,
            cache=open_cache() if open_cache is not None else None,
            progress=progress,
        )
        identify_languages(records, open_cache)
        return records

    # Judge the base the same way now (cached answers make this free after a run).
    if before is None:
        before = judge(model, "base")
    after = judge(fixed_model_spec(model, out), "fixed")
    report = FixReport(
        base=model,
        fixed=out,
        train_languages=tuple(train_languages),
        pairs=pairs,
        training=training,
        languages=_prove(pairs, before, after),
        before_records=before,
        after_records=after,
        breaches_before=evaluate_gate(before, settings).breaches,
        breaches_after=evaluate_gate(after, settings).breaches,
    )
    if capability is not None:
        log("capability: base and fixed")
        report.capability = capability(base_dir, out)
    _write_report(report, settings, report_dir)
    return report


def _write_report(report: FixReport, settings: Any, report_dir: Path) -> None:
    from datetime import datetime

    from saferegress.analysis.results import GateResult, build_results

    now = datetime.now(UTC).isoformat(timespec="seconds")
    fixed = fixed_model_spec(report.base, report.fixed)
    for name, spec, records, breaches in (
        ("held-out-before.json", report.base, report.before_records, report.breaches_before),
        ("held-out-after.json", fixed, report.after_records, report.breaches_after),
    ):
        # Assembled as the plugin assembles results.json, fingerprints included.
        results = build_results(
            records,
            settings,
            model=spec,
            guards=list(settings.guards),
            started=now,
            finished=now,
            gate=GateResult(passed=not breaches, breaches=tuple(breaches)),
        )
        write_results(results, report_dir / name)
        report.files[name.removesuffix(".json")] = str(report_dir / name)
    report.files["pairs"] = str(report_dir / "pairs.jsonl")
    report.files["proof"] = str(report_dir / "proof.json")
    (report_dir / "proof.txt").write_text(report.table() + "\n", encoding="utf-8")
    write_results(report.to_dict(), report_dir / "proof.json")


def read_results(path: Path) -> dict[str, Any]:
    """A results.json, its ``cases`` checked, with a clear error for a missing or foreign
    file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such results file (run the suite first)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not a readable results file ({exc})") from None
    cases = data.get("cases") if isinstance(data, dict) else None
    if not isinstance(cases, list) or not all(isinstance(c, dict) for c in cases):
        raise ConfigError(f"{path}: no 'cases' list: not a saferegress results file")
    needed = ("id", "lang", "category", "kind", "prompt", "verdict")
    for number, case in enumerate(cases, start=1):
        missing = [f for f in needed if f not in case]
        if missing:
            raise ConfigError(f"{path}: case {number}: field '{missing[0]}' is missing")
    return data


def capability_line(report: FixReport) -> str:
    """One line on capability: pooled accuracy before → after (per language: the table)."""
    found = report.capability or {}
    before = [v for v in found.get("before", {}).values() if v is not None]
    after = [v for v in found.get("after", {}).values() if v is not None]
    delta = found.get("overall_delta")
    if not before or not after or delta is None:
        return "capability: not measured on both models"
    return (
        f"capability ({found.get('tasks')}, lm-eval {found.get('lm_eval_version')}): mean "
        f"accuracy {100 * sum(before) / len(before):.1f}% → "
        f"{100 * sum(after) / len(after):.1f}%, pooled Δ {100 * delta:+.1f} pp"
    )


def capability_check(
    languages: Sequence[str] = LANGUAGES,
    *,
    max_drop: float = 0.05,
    max_drop_per_language: float | None = None,
    tasks: str = "local",
    limit: int | None = None,
) -> Callable[[Path, Path], dict[str, Any]]:
    """A capability measurement of base and fixed checkpoint for ``fix_model``.

    The fix fails when accuracy pooled over every question drops by more than ``max_drop``
    (the paper's "average drop"); per-language deltas are always reported, and gate too when
    ``max_drop_per_language`` is given. Per language alone is too coarse to gate by default:
    the local set has 24 questions a language, so one flipped answer moves it 4.2 points.
    """

    def check(base: Path, fixed: Path) -> dict[str, Any]:
        from ..capability import compare_capability, measure_capability

        before = measure_capability(str(base), list(languages), tasks=tasks, limit=limit)
        after = measure_capability(str(fixed), list(languages), tasks=tasks, limit=limit)
        comparison = compare_capability(
            before, after, max_drop=1.0 if max_drop_per_language is None else max_drop_per_language
        )
        failures = list(comparison.breaches) if max_drop_per_language is not None else []
        overall = comparison.overall_delta
        if overall is None:
            failures.append("no capability question was measured on both models")
        elif overall < -max_drop:
            failures.append(
                f"capability dropped {100 * -overall:.1f} pp over all languages "
                f"(allowed: {100 * max_drop:.1f} pp)"
            )
        return {
            "tasks": before.tasks,
            "lm_eval_version": before.lm_eval_version,
            "task_hash": before.task_hash,
            "max_drop": max_drop,
            "max_drop_per_language": max_drop_per_language,
            "overall_delta": overall,
            "before": {lang: c.accuracy for lang, c in before.languages.items()},
            "after": {lang: c.accuracy for lang, c in after.languages.items()},
            "languages": {lang: d.to_dict() for lang, d in comparison.languages.items()},
            "failures": failures,
            "passed": not failures,
        }

    return check
