"""Capability of a checkpoint per language, measured in process with lm-eval.

``measure_capability`` writes the task configs (see ``tasks``), runs ``lm_eval.simple_evaluate``
zero-shot, and reads every question's outcome from the logged samples: accuracy, n and a Wilson
interval per language, plus each question's right/wrong so a before/after comparison can be
paired.

Where it runs (``lm_eval_model``): a local checkpoint on lm-eval's ``hf`` model with the
device and precision an hf target would get (``--device``/``--dtype``; CUDA + bfloat16 when
there is a GPU, CPU + float32 otherwise), or on lm-eval's ``vllm`` model when vLLM is installed
and a GPU is there (``engine``); ``openai:NAME@URL`` asks an OpenAI-compatible completions
server (lm-eval's ``local-completions``: it scores each option from the prompt
log-probabilities the server returns with ``echo``, and needs the served model's tokenizer to know
where the option starts: from the server's ``/tokenizer_info`` and ``/tokenize`` (vLLM with
``--enable-tokenizer-info-endpoint``), else from a local copy named by ``tokenizer``, else from
a local folder or Hugging Face cache entry named like the served model).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saferegress.analysis.metrics import wilson_interval

from ..errors import ConfigError, MissingExtraError, TargetError
from ..languages import LANGUAGES
from .tasks import TaskSource, parse_task_source, write_task_configs

__all__ = [
    "CapabilityResult",
    "LMEvalModel",
    "LanguageCapability",
    "lm_eval_model",
    "measure_capability",
    "resolve_checkpoint",
]

#: ``engine`` values: auto (vllm on a GPU when installed, else hf), hf, vllm.
ENGINES = ("auto", "hf", "vllm")

RESULT_VERSION = 1


@dataclass(frozen=True)
class LanguageCapability:
    """One language's result: ``correct`` of ``n`` questions, and which ones."""

    lang: str
    task: str
    task_hash: str
    correct: int
    n: int
    #: Each question's outcome, keyed by its ``sample_id`` (or lm-eval's doc id).
    outcomes: dict[str, bool] = field(default_factory=dict, compare=False)

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.n if self.n else None

    @property
    def ci95(self) -> tuple[float, float]:
        return wilson_interval(self.correct, self.n)

    def to_dict(self) -> dict[str, Any]:
        low, high = self.ci95
        return {
            "task": self.task,
            "task_hash": self.task_hash,
            "correct": self.correct,
            "n": self.n,
            "accuracy": self.accuracy,
            "ci95": [low, high],
            "outcomes": self.outcomes,
        }


@dataclass(frozen=True)
class CapabilityResult:
    """Capability of ``model`` per language on one task set."""

    model: str
    tasks: str
    languages: dict[str, LanguageCapability]
    lm_eval_version: str
    task_hash: str
    limit: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": RESULT_VERSION,
            "model": self.model,
            "tasks": self.tasks,
            "lm_eval_version": self.lm_eval_version,
            "task_hash": self.task_hash,
            "limit": self.limit,
            "languages": {lang: cap.to_dict() for lang, cap in self.languages.items()},
        }

    @classmethod
    def from_dict(cls, data: Any, where: str = "capability result") -> CapabilityResult:
        """Read what ``to_dict`` wrote; a malformed file is a ConfigError naming the field."""

        def need(mapping: Any, key: str, kind: type | tuple[type, ...], path: str) -> Any:
            if not isinstance(mapping, dict) or not isinstance(mapping.get(key), kind):
                raise ConfigError(f"{where}: field '{path}{key}' is missing or malformed")
            return mapping[key]

        if need(data, "version", int, "") != RESULT_VERSION:
            raise ConfigError(
                f"{where}: unsupported version {data['version']!r} (expected {RESULT_VERSION})"
            )
        languages = {}
        for lang, entry in need(data, "languages", dict, "").items():
            prefix = f"languages.{lang}."
            outcomes = need(entry, "outcomes", dict, prefix)
            if not all(isinstance(v, bool) for v in outcomes.values()):
                raise ConfigError(f"{where}: field '{prefix}outcomes' must map ids to true/false")
            languages[lang] = LanguageCapability(
                lang=lang,
                task=need(entry, "task", str, prefix),
                task_hash=need(entry, "task_hash", str, prefix),
                correct=need(entry, "correct", int, prefix),
                n=need(entry, "n", int, prefix),
                outcomes=dict(outcomes),
            )
        limit = data.get("limit")
        if limit is not None and not isinstance(limit, int):
            raise ConfigError(f"{where}: field 'limit' must be an integer or null")
        return cls(
            model=need(data, "model", str, ""),
            tasks=need(data, "tasks", str, ""),
            languages=languages,
            lm_eval_version=need(data, "lm_eval_version", str, ""),
            task_hash=need(data, "task_hash", str, ""),
            limit=limit,
        )


def resolve_checkpoint(model: str) -> Path:
    """A local Hugging Face checkpoint folder from ``PATH``, ``hf:PATH`` or ``demo``."""
    if model == "demo":
        from ..backends import DEMO_MODEL_DIR

        path = DEMO_MODEL_DIR
    elif model.startswith("hf:"):
        path = Path(model[3:])
    elif ":" in model.split("/")[0] and not Path(model).exists():
        raise ConfigError(
            f"capability is measured on a local Hugging Face checkpoint, "
            f"in process (got {model!r}); pass its folder"
        )
    else:
        path = Path(model)
    path = path.expanduser().resolve()
    if not (path / "config.json").is_file():
        raise TargetError(f"{model}: not a Hugging Face checkpoint folder (no config.json)")
    return path


@dataclass(frozen=True)
class LMEvalModel:
    """What ``simple_evaluate`` is given: lm-eval's model type, its arguments, the device."""

    kind: str
    args: dict[str, Any]
    device: str | None
    #: The model as the result names it.
    label: str


def lm_eval_model(
    model: str,
    *,
    device: str = "auto",
    dtype: str = "auto",
    engine: str = "auto",
    base_url: str | None = None,
    engine_args: dict[str, Any] | None = None,
    tokenizer: str | None = None,
) -> LMEvalModel:
    """lm-eval's model for ``model`` on this machine (see the module's docstring).

    ``engine_args``: extra vLLM arguments (``tensor_parallel_size``, ``gpu_memory_utilization``,
    ``max_model_len``, ``data_parallel_size``) for the ``vllm`` engine. ``tokenizer``: for
    ``openai:NAME@URL`` only, a local copy of the served model's tokenizer (a folder, ``demo``, or
    a name in the local Hugging Face cache) for a server that does not give its own."""
    if engine not in ENGINES:
        raise ConfigError(f"'engine' must be one of {', '.join(ENGINES)} (got {engine!r})")
    if tokenizer is not None and not model.startswith("openai:"):
        raise ConfigError(
            "'tokenizer' is for a model on a completions server (openai:NAME@URL); "
            f"{model!r} is measured with its own tokenizer"
        )
    if model.startswith("openai:"):
        from ..engine.specs import parse_model_spec, public_spec

        spec = parse_model_spec(model)
        if spec.url is None and base_url is None:
            # A hosted chat API gives no prompt log-probabilities; only a named server will do.
            raise ConfigError(
                "capability is measured on a local Hugging Face checkpoint or on an "
                "OpenAI-compatible completions server named by URL (openai:NAME@URL, e.g. "
                f"openai:my-model@http://localhost:8000/v1); got {model!r} without a URL"
            )
        url = spec.base_url(base_url).rstrip("/")
        args: dict[str, Any] = {"model": spec.name, "base_url": f"{url}/completions"}
        if tokenizer is None:
            # The server's tokenizer when it offers one (vLLM with
            # --enable-tokenizer-info-endpoint), else the one named like the model, from a
            # local folder or the local Hugging Face cache only.
            args["tokenizer_backend"] = "auto"
        else:
            args["tokenizer_backend"] = "huggingface"
            args["tokenizer"] = _local_tokenizer(tokenizer)
        return LMEvalModel("local-completions", args, None, public_spec(model) or model)
    import torch

    from ..backends.device import (
        checkpoint_bytes,
        parse_dtype,
        place,
        resolve_device,
        resolve_dtype,
        saved_element_size,
    )

    checkpoint = resolve_checkpoint(model)
    label = str(checkpoint) if model != "demo" else "demo"
    where = resolve_device(device, torch)
    precision = resolve_dtype(dtype, where, torch)
    dtype_name = str(precision).removeprefix("torch.")
    on_gpu = where.startswith("cuda")
    if engine == "vllm" or (engine == "auto" and on_gpu and _vllm_installed()):
        if not on_gpu and parse_dtype(dtype) == "auto":
            dtype_name = "auto"  # vLLM's own choice on the CPU
        args = {"pretrained": str(checkpoint), "dtype": dtype_name, **(engine_args or {})}
        return LMEvalModel("vllm", args, None, label)
    placement = place(
        where, checkpoint_bytes(checkpoint), saved_element_size(checkpoint), torch, precision
    )
    args = {"pretrained": str(checkpoint), "dtype": dtype_name}
    if placement.device_map is not None:
        args["parallelize"] = True  # lm-eval's hf model: device_map="auto" over the GPUs
    return LMEvalModel("hf", args, placement.input_device, label)


def _local_tokenizer(tokenizer: str) -> str:
    """``demo`` or a folder as an absolute path; anything else as a Hugging Face cache name."""
    if tokenizer == "demo":
        from ..backends import DEMO_MODEL_DIR

        return str(DEMO_MODEL_DIR.resolve())
    path = Path(tokenizer).expanduser()
    return str(path.resolve()) if path.exists() else tokenizer


#: Appended to lm-eval's error when a completions server was measured without ``tokenizer``:
#: the usual cause (no tokenizer from the server, none found locally under the served name).
_SERVER_TOKENIZER_HINT = (
    " (a completions server is measured with the served model's tokenizer: from the server, "
    "as vLLM gives it with --enable-tokenizer-info-endpoint, or from a local copy: "
    "--tokenizer DIR)"
)


def _api_packages_installed() -> bool:
    """lm-eval's API models import these only when used; lm-eval[api] installs them."""
    try:
        import aiohttp  # noqa: F401
        import requests  # noqa: F401
        import tenacity  # noqa: F401
    except ImportError:
        return False
    return True


def _vllm_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("vllm") is not None


def measure_capability(
    model: str,
    languages: tuple[str, ...] | list[str] = LANGUAGES,
    *,
    tasks: str | TaskSource = "local",
    limit: int | None = None,
    batch_size: int = 32,
    device: str = "auto",
    dtype: str = "auto",
    engine: str = "auto",
    base_url: str | None = None,
    engine_args: dict[str, Any] | None = None,
    tokenizer: str | None = None,
) -> CapabilityResult:
    """Accuracy of ``model`` per language on ``tasks`` (``local`` or ``global-mmlu:DIR``).

    ``limit`` takes the first N questions of each language (the same ones every run). Runs
    offline: the Hub and datasets are put in offline mode before lm-eval is imported, so a
    missing local file is an error, never a download. ``device``, ``dtype``, ``engine``,
    ``base_url``, ``engine_args`` and ``tokenizer`` choose where it runs (``lm_eval_model``).
    """
    languages = tuple(languages)
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if not languages or unknown:
        raise ConfigError(
            f"'languages' must be codes from {', '.join(LANGUAGES)} "
            f"(got {', '.join(unknown) or 'none'})"
        )
    if limit is not None and limit < 1:
        raise ConfigError(f"'limit' must be at least 1 (got {limit})")
    if batch_size < 1:
        raise ConfigError(f"'batch_size' must be at least 1 (got {batch_size})")
    source = parse_task_source(tasks) if isinstance(tasks, str) else tasks
    runner = lm_eval_model(
        model,
        device=device,
        dtype=dtype,
        engine=engine,
        base_url=base_url,
        engine_args=engine_args,
        tokenizer=tokenizer,
    )
    # Before lm-eval (and with it huggingface_hub and datasets) is imported: they read these once.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    try:
        import lm_eval
        from lm_eval import simple_evaluate
        from lm_eval.tasks import TaskManager
    except ImportError:
        raise MissingExtraError("lm-eval", "fix") from None
    if runner.kind == "local-completions" and not _api_packages_installed():
        # lm-eval's API models need its [api] extra (saferegress[fix] brings it).
        raise MissingExtraError("lm-eval[api] (aiohttp, tenacity, requests)", "fix")

    with tempfile.TemporaryDirectory(prefix="saferegress-capability-") as folder:
        task_set = write_task_configs(source, languages, Path(folder))
        manager = TaskManager(include_path=folder, include_defaults=False)
        try:
            output = simple_evaluate(
                model=runner.kind,
                model_args=runner.args,
                tasks=[task_set.group],
                task_manager=manager,
                device=runner.device,
                batch_size=batch_size,
                limit=limit,
                num_fewshot=0,
                log_samples=True,
                bootstrap_iters=0,
            )
        except Exception as exc:  # lm-eval, datasets and transformers raise many kinds
            hint = _SERVER_TOKENIZER_HINT if runner.args.get("tokenizer_backend") == "auto" else ""
            raise TargetError(
                f"lm-eval could not measure {model} on {source.spec}: "
                f"{type(exc).__name__}: {exc}{hint}"
            ) from exc
    if not output or "samples" not in output:
        raise TargetError(f"lm-eval returned no samples for {model} on {source.spec}")

    results = {}
    for lang, task in task_set.tasks.items():
        samples = output["samples"].get(task)
        if not samples:  # fail closed: a language measured on nothing is not "no drop"
            raise TargetError(f"lm-eval returned no answers for {task} ({model})")
        outcomes = _outcomes(samples)
        results[lang] = LanguageCapability(
            lang=lang,
            task=task,
            task_hash=task_set.task_hashes[lang],
            correct=sum(outcomes.values()),
            n=len(outcomes),
            outcomes=outcomes,
        )
    return CapabilityResult(
        model=runner.label,
        tasks=source.spec,
        languages=results,
        lm_eval_version=_lm_eval_version(lm_eval),
        task_hash=task_set.task_hash,
        limit=limit,
    )


def _outcomes(samples: list[dict[str, Any]]) -> dict[str, bool]:
    """Right/wrong per question, keyed by ``sample_id`` when unique, else by lm-eval's doc id."""
    ids = [str((s.get("doc") or {}).get("sample_id", "")) for s in samples]
    if "" in ids or len(set(ids)) != len(ids):
        ids = [str(s["doc_id"]) for s in samples]
    return {qid: bool(s["acc"]) for qid, s in zip(ids, samples, strict=True)}


def _lm_eval_version(module: Any) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("lm_eval")
    except PackageNotFoundError:
        return str(getattr(module, "__version__", "unknown"))
