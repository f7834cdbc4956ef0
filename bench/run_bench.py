"""saferegress benchmark: end-to-end vs the engine alone, overhead per case, cached reruns,
one-by-one vs batched generation, peak memory. Not a test: it prints a Markdown table (and a
JSON file) for docs/benchmarks.md.

    OMP_NUM_THREADS=1 .venv/bin/python bench/run_bench.py [--quick] [--out bench/results.json]
        [--rows demo-hf,random-hf,demo-vllm] [--repeat 3] [--no-bytecode-cache]

``--rows`` runs only some parts (overhead, demo-hf, random-hf, demo-vllm, batching); ``--repeat``
runs each model row's plain engine, first pytest run and cached rerun that many times,
interleaved, and quotes medians (and the median of each round's own e2e/plain ratio). CPU seconds
(user + system, from ``wait4``) are recorded beside wall seconds: on shared cores they move far
less with other jobs' load.

Every figure is the wall time of a whole process (interpreter start, imports, model load,
generation, and for pytest: collection, judging, reports) and its peak RSS, measured side by
side in one run. Nothing is downloaded: the ~25M-parameter model is built here with random
weights.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
PYTHON = sys.executable
LANGUAGES = ["en", "de", "fr", "it", "es", "pt", "pl", "cs", "sk", "sl", "lt", "lv"]


def run(
    command: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    ok_exits: tuple[int, ...] = (0, 1),
) -> dict:
    """Wall and CPU seconds (user + system: less sensitive than wall to other jobs on a shared
    machine) and peak RSS (MiB) of one child process; an exit outside ``ok_exits`` stops the
    bench (1 is a gate that failed, which the model rows expect)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env=env or os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    text = output.decode(errors="replace")
    if code not in ok_exits:
        raise SystemExit(f"failed ({code}): {' '.join(command)}\n{text[-3000:]}")
    return {
        "seconds": seconds,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_mib": usage.ru_maxrss / 1024,
        "exit": code,
        "output": text,
    }


def build_random_model(out: Path) -> Path:
    """A ~25M-parameter Llama with random weights and the demo model's tokenizer."""
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    demo = REPO / "src" / "saferegress" / "demo_model"
    tokenizer = AutoTokenizer.from_pretrained(demo)
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=512,
        num_hidden_layers=8,
        num_attention_heads=8,
        num_key_value_heads=8,
        intermediate_size=1376,
        max_position_embeddings=1024,
        tie_word_embeddings=True,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    model = LlamaForCausalLM(config).eval()
    model.generation_config.do_sample = False
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    params = sum(p.numel() for p in model.parameters())
    (out / "PARAMS").write_text(str(params))
    return out


def write_generated_suite(path: Path, n: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            lang = LANGUAGES[i % 12]
            handle.write(
                json.dumps(
                    {
                        "id": f"gen-{i:05d}",
                        "lang": lang,
                        "category": f"S{i % 14 + 1}",
                        "style": "plain",
                        "kind": "attack" if i % 4 else "benign",
                        "prompt": f"Generated request number {i} in {lang}",
                        "group": f"g{i // 12}",
                        "source": "bench",
                    }
                )
                + "\n"
            )


def pytest_cmd(suite: str, model: str, *extra: str) -> list[str]:
    # hypothesis (a dev dependency of saferegress, not a runtime one) registers a pytest plugin
    # that imports all of hypothesis, ~1 s, on every run; a user's CI need not have it.
    return [
        PYTHON,
        "-m",
        "pytest",
        suite,
        "--model",
        model,
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:hypothesispytest",
        "--max-asr",
        "100%",
        "--max-over-refusal",
        "100%",
        "--max-errors",
        "100000",
        *extra,
    ]


def overhead(work: Path, sizes: list[int]) -> dict:
    env = {**os.environ, "PYTHONPATH": str(BENCH), "SAFEREGRESS_NO_PROGRESS": "1"}
    rows = {}
    for n in sizes:
        d = work / f"overhead-{n}"
        write_generated_suite(d / "suites" / "gen.jsonl", n)
        rows[n] = run(pytest_cmd("suites", "py:instant_target:make", "--no-cache"), d, env)
        rows[n].pop("output")
    bare = run([PYTHON, "-m", "pytest", "--version"], work)
    big, small = max(sizes), min(sizes)
    # pytest's own floor: as many trivial tests, without saferegress.
    floor_dir = work / "floor"
    floor_dir.mkdir(exist_ok=True)
    (floor_dir / "test_floor.py").write_text(
        f"import pytest\n\n@pytest.mark.parametrize('i', range({big}))\ndef test_x(i):\n    pass\n"
    )
    floor = run(
        [
            PYTHON,
            "-m",
            "pytest",
            "test_floor.py",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:saferegress",
            "-p",
            "no:hypothesispytest",
        ],
        floor_dir,
    )
    return {
        "cases": big,
        "seconds": rows[big]["seconds"],
        "peak_mib": rows[big]["peak_mib"],
        "ms_per_case_all_in": 1000 * rows[big]["seconds"] / big,
        "ms_per_case_marginal": 1000
        * (rows[big]["seconds"] - rows[small]["seconds"])
        / (big - small),
        "pytest_startup_s": bare["seconds"],
        "pytest_floor_s": floor["seconds"],
        "pytest_floor_ms_per_test": 1000 * floor["seconds"] / big,
        "saferegress_ms_per_case": 1000 * (rows[big]["seconds"] - floor["seconds"]) / big,
        "small": {"cases": small, "seconds": rows[small]["seconds"]},
    }


def model_rows(
    work: Path,
    name: str,
    engine: str,
    model_dir: Path,
    langs: str,
    tokens: int,
    repeat: int = 1,
    trees: dict[str, Path] | None = None,
) -> list[dict]:
    """Plain engine, pytest end to end (a fresh cache) and its cached rerun, ``repeat`` times
    interleaved (plain, e2e, rerun, plain, ...) so that other jobs' load falls on all three
    alike; the figures are the medians, each run's seconds are kept under ``runs``.

    ``trees`` (name → folder): the pytest runs once per source tree (``folder/src`` first on
    ``PYTHONPATH``, e.g. ``git archive`` copies of two commits) after the same plain run, one
    row each; without it, one row for the installed source."""
    suite = work / "starter" / "suites"
    spec = f"vllm:{model_dir}" if engine == "vllm" else str(model_dir)
    env = {**os.environ, "SAFEREGRESS_NO_PROGRESS": "1"}
    cache = work / f"cache-{name}-{engine}"
    args = ["--lang", langs, "--max-new-tokens", str(tokens), "--cache-dir", str(cache)]
    sources: dict[str, Path | None] = dict(trees) if trees else {"": None}
    plain_runs: list[dict] = []
    runs: dict[str, dict[str, list[dict]]] = {t: {"e2e": [], "rerun": []} for t in sources}
    prompts = 0
    for _ in range(max(1, repeat)):
        plain = run(
            [
                PYTHON,
                str(BENCH / "plain_generate.py"),
                engine,
                str(model_dir),
                str(suite),
                "--langs",
                langs,
                "--max-new-tokens",
                str(tokens),
            ],
            work,
        )
        prompts = json.loads(plain["output"].strip().splitlines()[-1])["prompts"]
        plain_runs.append({k: plain[k] for k in ("seconds", "cpu_s", "peak_mib")})
        for tree, folder in sources.items():
            tree_env = env if folder is None else {**env, "PYTHONPATH": str(folder / "src")}
            shutil.rmtree(cache, ignore_errors=True)
            first = run(pytest_cmd("suites", spec, *args), work / "starter", tree_env)
            again = run(pytest_cmd("suites", spec, *args), work / "starter", tree_env)
            for key, result in (("e2e", first), ("rerun", again)):
                runs[tree][key].append({k: result[k] for k in ("seconds", "cpu_s", "peak_mib")})
    plain_med = _median_run(plain_runs)
    rows = []
    for tree, tree_runs in runs.items():
        med = {key: _median_run(values) for key, values in tree_runs.items()}
        # Each round's own ratios too: load that changes between rounds falls on a pair alike.
        pairs = [
            e["seconds"] / p["seconds"] for e, p in zip(tree_runs["e2e"], plain_runs, strict=True)
        ]
        reruns = [
            r["seconds"] / e["seconds"]
            for r, e in zip(tree_runs["rerun"], tree_runs["e2e"], strict=True)
        ]
        row = {
            "model": name,
            "engine": engine,
            "prompts": prompts,
            "max_new_tokens": tokens,
            "repeat": max(1, repeat),
            "plain_s": plain_med["seconds"],
            "plain_peak_mib": plain_med["peak_mib"],
            "e2e_s": med["e2e"]["seconds"],
            "e2e_peak_mib": med["e2e"]["peak_mib"],
            "rerun_s": med["rerun"]["seconds"],
            "rerun_peak_mib": med["rerun"]["peak_mib"],
            "e2e_vs_plain": med["e2e"]["seconds"] / plain_med["seconds"],
            "e2e_vs_plain_per_round": statistics.median(pairs),
            "plain_cpu_s": plain_med["cpu_s"],
            "e2e_cpu_s": med["e2e"]["cpu_s"],
            "rerun_cpu_s": med["rerun"]["cpu_s"],
            "rerun_vs_first": med["rerun"]["seconds"] / med["e2e"]["seconds"],
            "rerun_vs_first_per_round": statistics.median(reruns),
            "runs": {"plain": plain_runs, **tree_runs},
        }
        if tree:
            row["tree"] = tree
        rows.append(row)
    return rows


def _median_run(values: list[dict]) -> dict:
    return {
        key: statistics.median(v[key] for v in values) for key in ("seconds", "cpu_s", "peak_mib")
    }


def one_by_one(work: Path, name: str, model_dir: Path, n: int, tokens: int) -> dict:
    suite = work / "starter" / "suites"
    out = {}
    for size in (1, 64):
        r = run(
            [
                PYTHON,
                str(BENCH / "plain_generate.py"),
                "hf",
                str(model_dir),
                str(suite),
                "--limit",
                str(n),
                "--batch-size",
                str(size),
                "--max-new-tokens",
                str(tokens),
            ],
            work,
        )
        out[size] = json.loads(r["output"].strip().splitlines()[-1])["seconds"]
    return {
        "model": name,
        "prompts": n,
        "one_by_one_s": out[1],
        "batched_s": out[64],
        "speedup": out[1] / out[64],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--out", default=str(BENCH / "results.json"))
    parser.add_argument("--langs", default="en,sl")
    parser.add_argument("--tokens", type=int, default=32)
    parser.add_argument(
        "--rows",
        default="overhead,demo-hf,random-hf,demo-vllm,batching",
        help="comma-separated parts to run (default: all): overhead, demo-hf, random-hf, "
        "demo-vllm, batching",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="model rows: runs each, medians quoted"
    )
    parser.add_argument(
        "--trees",
        default="",
        help="NAME=DIR,...: model rows' pytest runs on each source tree (DIR/src on PYTHONPATH)",
    )
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="keep PYTHONDONTWRITEBYTECODE if set (every run then compiles saferegress's "
        "modules again, ~0.08 s of a cached rerun here); by default the runs write and reuse "
        "__pycache__ as a user's Python does",
    )
    parser.add_argument("--build-random-model", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.no_bytecode_cache:
        # This sandbox sets PYTHONDONTWRITEBYTECODE=1; a user's Python keeps bytecode, so an
        # editable install or a git-archive tree is compiled once, not on every run.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    if args.build_random_model:
        build_random_model(Path(args.build_random_model))
        return
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    work = Path(tempfile.mkdtemp(prefix="saferegress-bench-"))
    shutil.copytree(REPO / "suites", work / "starter" / "suites")
    demo = REPO / "src" / "saferegress" / "demo_model"
    # Built in a child process: a child forked from a parent holding torch would inherit its
    # peak RSS, and every figure below would read the same.
    random_model = work / "random-25m"
    subprocess.run(
        [PYTHON, __file__, "--build-random-model", str(random_model)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "omp_threads": os.environ["OMP_NUM_THREADS"],
            "bytecode_cache": "PYTHONDONTWRITEBYTECODE" not in os.environ,
        },
        "random_model_params": int((random_model / "PARAMS").read_text()),
    }

    trees = {
        tree: Path(folder).resolve()
        for tree, _, folder in (t.partition("=") for t in args.trees.split(",") if t)
    }
    if trees:
        results["trees"] = {tree: str(folder) for tree, folder in trees.items()}
    rows = set(args.rows.split(","))
    if "overhead" in rows:
        results["overhead"] = overhead(work, [1000, 2000] if args.quick else [1000, 10000])
    langs = "sl" if args.quick else args.langs
    models = {
        "demo-hf": ("demo", "hf", demo),
        "random-hf": ("random-25m", "hf", random_model),
        "demo-vllm": ("demo", "vllm", demo),
    }
    results["models"] = []
    for row, (name, engine, model_dir) in models.items():
        if row not in rows:
            continue
        # Looked up, not imported: a child forked from a parent holding vllm's imports would
        # report the parent's peak RSS as its own (the vLLM rows' cached reruns read 413 MiB).
        if engine == "vllm" and importlib.util.find_spec("vllm") is None:
            continue
        results["models"].extend(
            model_rows(work, name, engine, model_dir, langs, args.tokens, args.repeat, trees)
        )
    n = 32 if args.quick else 100
    if "batching" in rows:
        results["batching"] = [
            one_by_one(work, "demo", demo, n, args.tokens),
            one_by_one(work, "random-25m", random_model, n, args.tokens),
        ]
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    print(markdown(results))
    shutil.rmtree(work, ignore_errors=True)


def markdown(r: dict) -> str:
    lines: list[str] = []
    if "overhead" in r:
        lines += _overhead_lines(r["overhead"])
    lines += [
        "| model | engine | prompts | plain engine s | pytest e2e s | e2e/plain "
        "(per round) | CPU s plain / e2e | cached rerun s "
        "| rerun/first | peak MiB plain / e2e / rerun |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for m in r["models"]:
        per_round = m.get("e2e_vs_plain_per_round", m["e2e_vs_plain"])
        model = f"{m['model']} @ {m['tree']}" if m.get("tree") else m["model"]
        lines.append(
            f"| {model} | {m['engine']} | {m['prompts']} | {m['plain_s']:.2f} | "
            f"{m['e2e_s']:.2f} | {m['e2e_vs_plain']:.2f}× ({per_round:.2f}×) | "
            f"{m.get('plain_cpu_s', 0):.2f} / {m.get('e2e_cpu_s', 0):.2f} | {m['rerun_s']:.2f} | "
            f"{100 * m['rerun_vs_first']:.1f}% | {m['plain_peak_mib']:.0f} / "
            f"{m['e2e_peak_mib']:.0f} / {m['rerun_peak_mib']:.0f} |"
        )
    if "batching" in r:
        lines += _batching_lines(r["batching"])
    return "\n".join(lines)


def _overhead_lines(o: dict) -> list[str]:
    return [
        f"Framework overhead, instant target, {o['cases']} generated cases: "
        f"{o['seconds']:.2f} s all in = {o['ms_per_case_all_in']:.3f} ms/case "
        f"(marginal {o['ms_per_case_marginal']:.3f} ms/case; pytest alone starts in "
        f"{o['pytest_startup_s']:.2f} s); peak {o['peak_mib']:.0f} MiB",
        f"pytest's own floor, {o['cases']} trivial tests: {o['pytest_floor_s']:.2f} s = "
        f"{o['pytest_floor_ms_per_test']:.3f} ms/test, so saferegress's own share is "
        f"{o['saferegress_ms_per_case']:.3f} ms/case",
        "",
    ]


def _batching_lines(batching: list[dict]) -> list[str]:
    lines = [
        "",
        "| model | prompts | one by one s | batched (64) s | speed-up |",
        "|---|---|---|---|---|",
    ]
    for b in batching:
        lines.append(
            f"| {b['model']} | {b['prompts']} | {b['one_by_one_s']:.2f} | "
            f"{b['batched_s']:.2f} | {b['speedup']:.1f}× |"
        )
    return lines


if __name__ == "__main__":
    main()
