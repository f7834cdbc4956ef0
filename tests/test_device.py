"""Device and precision of in-process models, out-of-memory batches, and the thread budget.

The CUDA decisions are checked against an object shaped like ``torch`` that reports GPUs (this
machine has none); everything that runs a model runs the real demo model on the real CPU, and
the out-of-memory errors are torch's own exception type.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from saferegress.backends import DEMO_MODEL_DIR, load_target
from saferegress.backends.base import TargetOptions, conversation
from saferegress.backends.device import (
    Placement,
    is_out_of_memory,
    parse_device,
    parse_dtype,
    place,
    resolve_device,
    resolve_dtype,
)
from saferegress.backends.hf import HFTarget
from saferegress.engine.threads import thread_budget
from saferegress.errors import ConfigError, TargetError
from saferegress.settings import settings_from

REPO = Path(__file__).resolve().parents[1]
GUARDS = REPO / "tests" / "fixtures" / "guard_models"


def gpu_torch(count: int = 1, bf16: bool = True, free_gib: float = 80.0) -> SimpleNamespace:
    """``torch`` as seen on a machine with ``count`` GPUs (dtypes are the real ones)."""
    cuda = SimpleNamespace(
        is_available=lambda: count > 0,
        device_count=lambda: count,
        is_bf16_supported=lambda: bf16,
        mem_get_info=lambda index=0: (int(free_gib * 2**30), int(141 * 2**30)),
    )
    return SimpleNamespace(
        cuda=cuda,
        __version__="test",
        float32=torch.float32,
        bfloat16=torch.bfloat16,
        float16=torch.float16,
        empty=torch.empty,
    )


# -- parsing and deciding -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "device"),
    [
        ("auto", "auto"),
        ("CPU", "cpu"),
        ("cuda", "cuda"),
        ("cuda:3", "cuda:3"),
        (" cuda:0 ", "cuda:0"),
    ],
)
def test_parse_device(text: str, device: str) -> None:
    assert parse_device(text) == device


@pytest.mark.parametrize("text", ["gpu", "cuda:", "cuda:x", "mps:0", "", 3])
def test_parse_device_rejects(text: object) -> None:
    with pytest.raises(ValueError, match="auto, cpu, cuda or cuda:N"):
        parse_device(text)


def test_parse_dtype() -> None:
    assert [parse_dtype(t) for t in ("auto", "bf16", "FP16", "float32")] == [
        "auto",
        "bfloat16",
        "float16",
        "float32",
    ]
    with pytest.raises(ValueError, match="must be one of auto, float32, bfloat16, float16"):
        parse_dtype("int8")


def test_auto_is_cuda_with_bfloat16_where_supported_else_float16_else_cpu_float32() -> None:
    assert resolve_device("auto", gpu_torch()) == "cuda"
    assert resolve_dtype("auto", "cuda", gpu_torch()) is torch.bfloat16
    assert resolve_dtype("auto", "cuda:1", gpu_torch(bf16=False)) is torch.float16
    assert resolve_device("auto", gpu_torch(count=0)) == "cpu"
    assert resolve_dtype("auto", "cpu", gpu_torch()) is torch.float32
    # This machine, for real.
    assert resolve_device("auto", torch) == ("cuda" if torch.cuda.is_available() else "cpu")
    # An explicit dtype wins everywhere.
    assert resolve_dtype("float32", "cuda", gpu_torch()) is torch.float32
    assert resolve_dtype("bfloat16", "cpu", torch) is torch.bfloat16


def test_surely_cpu_float32_is_never_wrong_and_needs_no_torch(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from saferegress.backends import device
    from saferegress.backends.device import resolved_precision, surely_cpu_float32

    # Wherever the torch-free answer is "surely", torch agrees (on this machine, for real).
    for where in ("auto", "cpu"):
        for dtype in ("auto", "float32", "bfloat16", "float16"):
            if surely_cpu_float32(where, dtype):
                assert resolved_precision(where, dtype) == "cpu/float32", (where, dtype)
    assert surely_cpu_float32("cpu", "auto") and surely_cpu_float32("cpu", "float32")
    assert not surely_cpu_float32("cpu", "bfloat16")
    assert not surely_cpu_float32("cuda", "auto") and not surely_cpu_float32("cuda:0", "float32")
    # A GPU driver present (NVIDIA's or ROCm's): auto may be a GPU, so not sure.
    monkeypatch.setattr(device, "GPU_DRIVER_PATHS", ())
    assert surely_cpu_float32("auto", "auto")
    monkeypatch.setattr(device, "GPU_DRIVER_PATHS", ("/nonexistent", str(tmp_path)))
    assert not surely_cpu_float32("auto", "auto")
    assert surely_cpu_float32("cpu", "auto")


def test_resolved_precision_names_what_the_options_mean_here() -> None:
    from saferegress.backends.device import resolved_precision

    assert resolved_precision("cpu", "auto") == "cpu/float32"
    assert resolved_precision("cpu", "bf16") == "cpu/bfloat16"
    expected = "cuda/bfloat16" if torch.cuda.is_available() else "cpu/float32"
    if torch.cuda.is_available() and not torch.cuda.is_bf16_supported():
        expected = "cuda/float16"
    assert resolved_precision("auto", "auto") == expected


def test_a_gpu_asked_for_but_absent_is_an_error_never_a_silent_cpu_run() -> None:
    with pytest.raises(TargetError, match="no CUDA GPU"):
        resolve_device("cuda", gpu_torch(count=0))
    with pytest.raises(TargetError, match="only 2 GPU"):
        resolve_device("cuda:2", gpu_torch(count=2))
    assert resolve_device("cuda:1", gpu_torch(count=2)) == "cuda:1"


def test_a_model_larger_than_one_gpu_is_spread_with_device_map_auto() -> None:
    fake = gpu_torch(count=8, free_gib=70.0)
    # 16 GB of bf16 weights (an 8B model): one GPU, whole.
    assert place("cuda", 16 * 2**30, 2, fake, torch.bfloat16) == Placement("cuda:0")
    # 140 GB of bf16 weights (a 70B model): accelerate over all visible GPUs.
    spread = place("cuda", 140 * 2**30, 2, fake, torch.bfloat16)
    assert spread == Placement("cuda", device_map="auto") and spread.input_device == "cuda:0"
    # The same 16 GB checkpoint saved in bf16 and loaded in float32 needs twice as much.
    assert place("cuda", 32 * 2**30, 2, fake, torch.float32).device_map == "auto"
    # A named GPU or the CPU: as asked.
    assert place("cuda:3", 140 * 2**30, 2, fake, torch.bfloat16) == Placement("cuda:3")
    assert place("cpu", 140 * 2**30, 2, fake, torch.float32) == Placement("cpu")


def test_out_of_memory_is_recognised_by_torchs_types_only() -> None:
    assert is_out_of_memory(torch.cuda.OutOfMemoryError("CUDA out of memory"))
    assert is_out_of_memory(torch.OutOfMemoryError("out of memory"))
    assert not is_out_of_memory(RuntimeError("out of memory"))
    assert not is_out_of_memory(ValueError("bad input"))


# -- the options reach the targets --------------------------------------------------------------


def test_settings_take_device_dtype_and_engine_arguments_from_both_places() -> None:
    table = {
        "device": "cpu",
        "dtype": "bf16",
        "gpu_memory_utilization": 0.45,
        "max_model_len": 4096,
    }
    settings = settings_from(
        {"tensor_parallel_size": "2", "device": "cuda:1"}, table, "pyproject.toml"
    )
    target = settings.target
    assert (target.device, target.dtype) == ("cuda:1", "bfloat16")  # the command line wins
    assert target.gpu_memory_utilization == 0.45 and target.max_model_len == 4096
    assert target.tensor_parallel_size == 2 and target.data_parallel_size is None
    with pytest.raises(ConfigError, match=r"pyproject.toml: \[tool.saferegress\] device must be"):
        settings_from({}, {"device": "gpu"}, "pyproject.toml")
    with pytest.raises(ConfigError, match="gpu_memory_utilization must lie above 0"):
        settings_from({}, {"gpu_memory_utilization": 1.5}, "pyproject.toml")


RECORDING_TARGET = """
import json
from pathlib import Path
from saferegress.backends.base import Generation

class Recorder:
    name = "recorder"
    def __init__(self, options):
        Path("options.json").write_text(json.dumps(options.__dict__))
    def generate(self, conversations):
        return [Generation(text="I cannot help with that.") for _ in conversations]
    def close(self):
        pass
"""


def test_device_and_dtype_flags_and_keys_travel_to_the_target(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(recording_target=RECORDING_TARGET)
    pytester.syspathinsert()
    (pytester.path / "suites").mkdir()
    row = {"id": "a-en", "lang": "en", "category": "S1", "kind": "attack", "prompt": "do harm"}
    (pytester.path / "suites" / "s.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    pytester.makepyprojecttoml(
        '[tool.saferegress]\ndtype = "float16"\ntensor_parallel_size = 4\n'
        "gpu_memory_utilization = 0.5\n"
    )
    result = pytester.runpytest(
        "suites", "--model", "py:recording_target:Recorder", "--lang", "en", "--no-cache",
        "--device", "cuda:2", "--max-model-len", "2048", "-p", "no:cacheprovider",
    )  # fmt: skip
    assert result.ret == 0, result.stdout.str()
    seen = json.loads((pytester.path / "options.json").read_text())
    assert seen["device"] == "cuda:2" and seen["dtype"] == "float16"
    assert seen["tensor_parallel_size"] == 4 and seen["gpu_memory_utilization"] == 0.5
    assert seen["max_model_len"] == 2048
    bad = pytester.runpytest("suites", "--model", "demo", "--dtype", "int4")
    assert bad.ret == pytest.ExitCode.USAGE_ERROR
    assert "must be one of auto, float32, bfloat16, float16" in bad.stderr.str()


# -- the hf target and checkpoint guards, for real on this CPU --------------------------------


def test_hf_target_defaults_to_float32_on_cpu_and_loads_bfloat16_when_asked() -> None:
    options = TargetOptions(max_new_tokens=8, batch_size=4)
    default = load_target("demo", options)
    expected_device = "cuda:0" if torch.cuda.is_available() else "cpu"
    assert default.placement.device == expected_device  # type: ignore[attr-defined]
    if not torch.cuda.is_available():
        assert next(default._model.parameters()).dtype is torch.float32  # type: ignore[attr-defined]
    half = HFTarget(DEMO_MODEL_DIR, TargetOptions(max_new_tokens=8, device="cpu", dtype="bfloat16"))
    assert next(half._model.parameters()).dtype is torch.bfloat16
    assert half.generate([conversation("Hello, how are you?")])[0].text is not None


def test_hf_target_on_a_gpu_that_is_not_there_says_so() -> None:
    with pytest.raises(TargetError, match="no CUDA GPU|GPU\\(s\\) are visible"):
        HFTarget(DEMO_MODEL_DIR, TargetOptions(device="cuda:99"))


def test_a_guard_loaded_from_a_checkpoint_takes_the_runs_precision() -> None:
    from saferegress.guards import load_guard

    guard = load_guard(f"llama-guard:{GUARDS / 'llama-guard'}", TargetOptions(dtype="bfloat16"))
    model = guard.target._model  # type: ignore[attr-defined]
    assert next(model.parameters()).dtype is torch.bfloat16


class OutOfMemoryAbove:
    """The real model's generate, raising torch's real out-of-memory error for batches larger
    than ``limit`` (as a GPU would), and counting every call by batch size."""

    def __init__(self, generate, limit: int) -> None:  # type: ignore[no-untyped-def]
        self.generate, self.limit = generate, limit
        self.calls: list[int] = []

    def __call__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        rows = int(kwargs["input_ids"].shape[0])
        self.calls.append(rows)
        if rows > self.limit:
            raise torch.OutOfMemoryError(f"CUDA out of memory (batch of {rows})")
        return self.generate(*args, **kwargs)


PROMPTS = [
    "Hello, how are you?",
    "Kako si danes? Ali mi lahko pomagaš pri domači nalogi iz kemije, prosim?",
    "x",
    "Jak się dziś masz?",
    "Wie geht es dir heute?",
    "Kā tu šodien jūties?",
    "Explain photosynthesis.",
    "Děkuji",
    "Sure, here is how to bake bread.",
    "Kaip sekasi šiandien?",
]


def test_an_out_of_memory_batch_is_split_in_halves_before_any_case_fails(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = HFTarget(DEMO_MODEL_DIR, TargetOptions(max_new_tokens=6, batch_size=8))
    conversations = [conversation(p) for p in PROMPTS]
    expected = target.generate(conversations)
    assert all(g.text is not None for g in expected)

    wrapper = OutOfMemoryAbove(target._model.generate, limit=2)
    monkeypatch.setattr(target._model, "generate", wrapper)
    answers = target.generate(conversations)

    assert answers == expected  # nothing lost, nothing reordered, no error
    # 8 fails → 4 fails → 2 + 2; the other 4 fails → 2 + 2; then the last batch of 2.
    assert wrapper.calls == [8, 4, 2, 2, 4, 2, 2, 2]


def test_only_a_single_conversation_out_of_memory_becomes_an_error(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = HFTarget(DEMO_MODEL_DIR, TargetOptions(max_new_tokens=4, batch_size=4))
    wrapper = OutOfMemoryAbove(target._model.generate, limit=0)
    monkeypatch.setattr(target._model, "generate", wrapper)
    answers = target.generate([conversation(p) for p in PROMPTS[:4]])
    assert all(a.text is None and "OutOfMemoryError" in (a.error or "") for a in answers)
    assert wrapper.calls == [4, 2, 1, 1, 2, 1, 1]


def test_lm_eval_model_follows_the_device_and_the_engine() -> None:
    import torch

    from saferegress.capability.measure import lm_eval_model

    # This machine, default options: what capability ran before on a CPU (hf, float32, cpu).
    here = lm_eval_model("demo")
    if not torch.cuda.is_available():
        assert (here.kind, here.device) == ("hf", "cpu")
        assert here.args == {"pretrained": str(DEMO_MODEL_DIR.resolve()), "dtype": "float32"}
    assert here.label == "demo"
    half = lm_eval_model("demo", device="cpu", dtype="bf16", engine="hf")
    assert half.args["dtype"] == "bfloat16" and half.device == "cpu"
    # lm-eval's vllm model on request; on the CPU vLLM keeps its own dtype unless told.
    on_vllm = lm_eval_model("demo", device="cpu", engine="vllm", engine_args={"max_model_len": 512})
    assert on_vllm.kind == "vllm" and on_vllm.device is None
    assert on_vllm.args == {
        "pretrained": str(DEMO_MODEL_DIR.resolve()),
        "dtype": "auto",
        "max_model_len": 512,
    }
    # An OpenAI-compatible completions server by URL: lm-eval's local-completions.
    served = lm_eval_model("openai:my-model@http://127.0.0.1:8000/v1/")
    assert served.kind == "local-completions" and served.device is None
    assert served.args["model"] == "my-model"
    assert served.args["base_url"] == "http://127.0.0.1:8000/v1/completions"
    with pytest.raises(ConfigError, match="'engine' must be one of auto, hf, vllm"):
        lm_eval_model("demo", engine="sglang")
    with pytest.raises(TargetError, match="no CUDA GPU|visible"):
        lm_eval_model("demo", device="cuda:99")


# -- threads ----------------------------------------------------------------------------------


def test_thread_budget_shares_the_cores_among_xdist_workers() -> None:
    workers = {"PYTEST_XDIST_WORKER_COUNT": "4"}
    assert thread_budget(workers, cores=16).threads == 4
    assert thread_budget(workers, cores=2).threads == 1  # never zero
    assert thread_budget({"PYTEST_XDIST_WORKER_COUNT": "3"}, cores=16).threads == 5
    assert thread_budget({}, cores=16).threads is None  # not a worker: torch's default
    chosen = thread_budget({**workers, "OMP_NUM_THREADS": "8"}, cores=16)
    assert chosen.threads is None and "set by the user" in chosen.reason


WORKER_TEST = """
import json, os
from pathlib import Path
import torch
from saferegress.backends import load_target

def test_load(worker_id):
    load_target("demo")
    Path(f"threads-{worker_id}.json").write_text(json.dumps(
        {"torch": torch.get_num_threads(), "rayon": os.environ.get("RAYON_NUM_THREADS")}
    ))
"""


def test_each_xdist_worker_loads_models_with_its_share_of_the_cores(
    pytester: pytest.Pytester, monkeypatch
) -> None:
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    for name in ("RAYON_NUM_THREADS", "TOKENIZERS_PARALLELISM"):
        monkeypatch.delenv(name, raising=False)
    pytester.makepyfile(test_a=WORKER_TEST, test_b=WORKER_TEST)
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider")
    assert result.ret == 0, result.stdout.str()
    seen = {p.name: json.loads(p.read_text()) for p in pytester.path.glob("threads-gw*.json")}
    assert set(seen) == {"threads-gw0.json", "threads-gw1.json"}, seen
    share = max(1, len(os.sched_getaffinity(0)) // 2)
    assert all(s == {"torch": share, "rayon": str(share)} for s in seen.values()), seen


def test_threads_module_imports_nothing_heavy() -> None:
    import subprocess

    code = (
        "import sys, saferegress.engine.threads as t\nt.apply_thread_budget()\n"
        "assert 'torch' not in sys.modules\n"
    )
    env = {**os.environ, "PYTEST_XDIST_WORKER_COUNT": "2"}
    env.pop("OMP_NUM_THREADS", None)
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


# -- bench/gpu_smoke.sh -------------------------------------------------------------------------


def test_gpu_smoke_script_runs_its_cpu_path_and_writes_figures(tmp_path: Path) -> None:
    import subprocess

    out = tmp_path / "smoke.json"
    env = {
        **os.environ,
        "PYTHON": sys.executable,
        "SMOKE_BUDGET_S": "20",
        "SMOKE_CASES": "4",
        "SMOKE_MAX_NEW_TOKENS": "6",
    }
    done = subprocess.run(
        ["bash", str(REPO / "bench" / "gpu_smoke.sh"), str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads(out.read_text())
    cpu = figures["stages"]["cpu"]
    assert figures["cases"] == 4 and cpu["errors"] == 0 and cpu["prompts_per_s"] > 0
    assert cpu["llama_guard_fixture_verdicts"] == 4
    if torch.cuda.is_available():
        assert figures["gpu"] and ("cuda_demo" in figures["stages"] or figures["skipped"])
    else:
        assert figures["gpu"] is None
        assert "no GPU on this machine" in done.stdout
        assert figures["skipped"] == ["cuda, vllm (no GPU on this machine)"]


def test_answers_in_another_precision_get_their_own_cache_key() -> None:
    # A bf16 answer is not the fp32 answer: it must not be served from an fp32 run's cache,
    # while the CPU float32 default keeps the key every earlier cache was written with.
    from saferegress.engine.runner import _generation_params

    default = settings_from({"model": "demo"}, {}, "pyproject.toml")
    bf16 = settings_from({"model": "demo", "dtype": "bfloat16"}, {}, "pyproject.toml")
    served = settings_from({"model": "openai:m@http://h/v1", "dtype": "bfloat16"}, {}, "x")
    assert _generation_params("demo", default) == {
        "max_new_tokens": default.target.max_new_tokens,
        "decoding": "greedy",
    }
    assert _generation_params("demo", bf16)["precision"] == "cpu/bfloat16"
    assert "precision" not in _generation_params("openai:m@http://h/v1", served)
