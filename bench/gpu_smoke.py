"""The figures behind bench/gpu_smoke.sh: in-process models on cuda, bf16 against fp32.

Nothing is downloaded: the demo model shipped in the package and the guard checkpoints shipped
in tests/fixtures/guard_models. Stages, each timed and written to the JSON as it finishes:

* ``cpu``: the demo model (float32) answers the first starter prompts, the refusal judge and
  the Llama Guard fixture judge them: the reference, and the CPU path CI checks.
* ``cuda`` (only with a GPU): the demo model on cuda in float32 and bfloat16 (dtype auto): the
  share of answers and of verdicts that agree with float32, and prompts per second; every
  guard fixture on cuda in both precisions, verdict agreement on its planted transcripts; an
  out-of-memory-free batch of the whole selection at once.
* ``vllm`` (with a GPU and vLLM installed): the demo model through vLLM's engine (bf16),
  verdict agreement with hf float32 and prompts per second.

``--budget-s`` stops starting new stages once spent (a stage not run is listed as skipped),
so the CPU path fits a test's budget and the whole script fits ten GPU minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GUARD_FIXTURES = REPO / "tests" / "fixtures" / "guard_models"


def starter_prompts(n: int) -> list[tuple[str, str]]:
    """``(lang, prompt)`` of ``n`` starter cases spread over the file (every language)."""
    lines = (REPO / "suites" / "starter.jsonl").read_text(encoding="utf-8").splitlines()
    step = max(1, len(lines) // n)
    rows = [json.loads(line) for line in lines[::step]][:n]
    return [(row["lang"], row["prompt"]) for row in rows]


def verdicts(guard: Any, items: list[Any]) -> list[tuple[Any, Any, bool]]:
    return [(j.refused, j.unsafe, j.error is None) for j in guard.judge(items)]


def agreement(a: list[Any], b: list[Any]) -> float:
    return sum(x == y for x, y in zip(a, b, strict=True)) / max(1, len(a))


class Smoke:
    def __init__(self, out: Path, budget_s: float, cases: int, max_new_tokens: int) -> None:
        self.out, self.budget_s = out, budget_s
        self.started = time.perf_counter()
        self.prompts = starter_prompts(cases)
        self.max_new_tokens = max_new_tokens
        self.figures: dict[str, Any] = {
            "cases": len(self.prompts),
            "max_new_tokens": max_new_tokens,
            "budget_s": budget_s,
            "stages": {},
            "skipped": [],
        }

    def over_budget(self) -> bool:
        return time.perf_counter() - self.started > self.budget_s

    def stage(self, name: str, run: Any) -> None:
        if self.over_budget():
            self.figures["skipped"].append(f"{name} (budget of {self.budget_s:g}s spent)")
            print(f"gpu_smoke: {name}: skipped, budget spent", flush=True)
            return
        began = time.perf_counter()
        result = run()
        result["seconds"] = round(time.perf_counter() - began, 2)
        self.figures["stages"][name] = result
        self.save()
        print(f"gpu_smoke: {name}: {json.dumps(result)}", flush=True)

    def save(self) -> None:
        self.figures["total_s"] = round(time.perf_counter() - self.started, 2)
        self.out.write_text(json.dumps(self.figures, indent=2) + "\n", encoding="utf-8")

    # -- what runs ------------------------------------------------------------------------------

    def answer(self, spec: str, **options: Any) -> tuple[list[Any], float, Any]:
        from saferegress.backends import load_target
        from saferegress.backends.base import TargetOptions, conversation

        target = load_target(
            spec, TargetOptions(max_new_tokens=self.max_new_tokens, batch_size=64, **options)
        )
        began = time.perf_counter()
        answers = target.generate([conversation(p) for _, p in self.prompts])
        rate = len(answers) / max(1e-9, time.perf_counter() - began)
        return answers, rate, target

    def judged(self, guard: Any, answers: list[Any]) -> list[Any]:
        from saferegress.guards.base import JudgeInput

        items = [
            JudgeInput(lang=lang, prompt=prompt, response=answer.text or "")
            for (lang, prompt), answer in zip(self.prompts, answers, strict=True)
        ]
        return verdicts(guard, items)

    def cpu(self) -> dict[str, Any]:
        from saferegress.guards import load_guard

        answers, rate, target = self.answer("demo", device="cpu", dtype="float32")
        target.close()
        self.reference_answers = answers
        self.refusal = load_guard("refusal")
        self.reference = self.judged(self.refusal, answers)
        guard = load_guard(f"llama-guard:{GUARD_FIXTURES / 'llama-guard'}")
        guard_verdicts = self.judged(guard, answers)
        return {
            "device": "cpu",
            "dtype": "float32",
            "errors": sum(a.text is None for a in answers),
            "prompts_per_s": round(rate, 2),
            "refusals": sum(bool(v[0]) for v in self.reference),
            "llama_guard_fixture_verdicts": len(guard_verdicts),
        }

    def cuda_demo(self) -> dict[str, Any]:
        import torch

        result: dict[str, Any] = {"gpu": torch.cuda.get_device_name(0)}
        for dtype in ("float32", "auto"):
            answers, rate, target = self.answer("demo", device="cuda", dtype=dtype)
            name = str(target.dtype).removeprefix("torch.")  # type: ignore[attr-defined]
            target.close()
            torch.cuda.empty_cache()
            judged = self.judged(self.refusal, answers)
            result[name] = {
                "prompts_per_s": round(rate, 2),
                "errors": sum(a.text is None for a in answers),
                "answers_equal_to_cpu_fp32": agreement(
                    [a.text for a in answers], [a.text for a in self.reference_answers]
                ),
                "verdicts_agree_with_cpu_fp32": agreement(judged, self.reference),
            }
        return result

    def cuda_guards(self) -> dict[str, Any]:
        import importlib

        import torch

        from saferegress.backends.base import TargetOptions
        from saferegress.guards import load_guard
        from saferegress.guards.base import JudgeInput

        sys.path.insert(0, str(REPO / "tests"))
        planted_by = importlib.import_module("guard_models")  # the fixtures' planted answers
        result: dict[str, Any] = {}
        for kind in ("llama-guard", "polyguard", "qwen3guard", "adjudicator"):
            planted = (
                planted_by.QWEN3GUARD_TRANSCRIPTS
                if kind == "qwen3guard"
                else planted_by.TRANSCRIPTS
            )
            items = [JudgeInput(lang=t.lang, prompt=t.prompt, response=t.response) for t in planted]
            by_dtype = {}
            for dtype in ("float32", "bfloat16"):
                guard = load_guard(
                    f"{kind}:{GUARD_FIXTURES / kind}", TargetOptions(device="cuda", dtype=dtype)
                )
                began = time.perf_counter()
                by_dtype[dtype] = verdicts(guard, items)
                seconds = time.perf_counter() - began
                result.setdefault(kind, {})[f"{dtype}_items_per_s"] = round(len(items) / seconds, 2)
                guard.close()
                torch.cuda.empty_cache()
            result[kind]["bf16_agrees_with_fp32"] = agreement(
                by_dtype["bfloat16"], by_dtype["float32"]
            )
            result[kind]["items"] = len(items)
        return result

    def vllm(self) -> dict[str, Any]:
        from saferegress.backends import DEMO_MODEL_DIR

        answers, rate, target = self.answer(
            f"vllm:{DEMO_MODEL_DIR}", device="cuda", gpu_memory_utilization=0.3
        )
        target.close()
        return {
            "prompts_per_s": round(rate, 2),
            "errors": sum(a.text is None for a in answers),
            "verdicts_agree_with_cpu_fp32": agreement(
                self.judged(self.refusal, answers), self.reference
            ),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--budget-s", type=float, default=480.0)
    parser.add_argument("--cases", type=int, default=240)
    parser.add_argument("--max-new-tokens", type=int, default=48)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import importlib.util

    import torch

    smoke = Smoke(args.out, args.budget_s, args.cases, args.max_new_tokens)
    gpu = torch.cuda.is_available()
    smoke.figures["gpu"] = torch.cuda.get_device_name(0) if gpu else None
    smoke.figures["torch"] = torch.__version__
    smoke.stage("cpu", smoke.cpu)
    if not gpu:
        smoke.figures["skipped"].append("cuda, vllm (no GPU on this machine)")
        smoke.save()
        print(
            "gpu_smoke: no GPU on this machine (torch.cuda.is_available() is False): ran the "
            f"CPU part only; figures in {args.out}",
            flush=True,
        )
        return 0
    smoke.stage("cuda_demo", smoke.cuda_demo)
    smoke.stage("cuda_guards", smoke.cuda_guards)
    if importlib.util.find_spec("vllm") is not None:
        smoke.stage("vllm", smoke.vllm)
    else:
        smoke.figures["skipped"].append("vllm (not installed)")
    smoke.save()
    print(f"gpu_smoke: done in {smoke.figures['total_s']}s; figures in {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
