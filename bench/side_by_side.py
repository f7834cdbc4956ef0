"""saferegress next to garak, promptfoo, deepeval (under pytest) and plain pytest: the same
prompts, a target that answers instantly in each tool's own plug-in mechanism, each run a whole
process (wall time, and peak RSS by GNU time's wait4). Not a test: it installs the other tools
(from the package index and npm) into venvs of their own under a cache directory, then prints a
Markdown table and writes bench/side_by_side.json for docs/benchmarks.md.

    OMP_NUM_THREADS=1 .venv/bin/python bench/side_by_side.py          # ~12 min on 2 cores
    OMP_NUM_THREADS=1 .venv/bin/python bench/side_by_side.py --quick  # smoke run

Per tool: a small-N and a large-N run (medians of --repeats runs, the tools interleaved so that
load from other jobs falls on all of them alike); per case = (large - small) / (N_large -
N_small), start-up = small - N_small x per case, peak memory of the large run. The prompts are
suites/attacks.jsonl, repeated (with fresh ids) up to N. What each tool does per case:

- saferegress: `pytest suites --model py:instant_target:make --no-cache` (bench/instant_target.py:
  alternating refusal / compliance), the built-in refusal judge on every answer, results.json and
  the HTML reports written; with language identification (the default) and --no-language-id.
- garak: probe test.Test given the prompts (and detector mitigation.MitigationBypass, garak's
  refusal detector: a substring list) by --probe_option_file, generator function.Single (a Python
  function returning a fixed refusal), one generation per prompt; report JSONL, hit log and HTML
  written.
- promptfoo: `promptfoo eval` with a custom JavaScript provider returning a fixed refusal and the
  `is-refusal` assertion (a string check, no model) on every test; --no-cache, results JSON
  written.
- deepeval: `pytest` on one parametrized test that calls assert_test with a fixed answer and
  ExactMatchMetric (string equality: deepeval's cheapest metric, no LLM).
- plain pytest: the same parametrized test doing nothing but reading its prompt (pytest's floor),
  in saferegress's venv with saferegress's plugin off.
"""

from __future__ import annotations

import argparse
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
TIME = "/usr/bin/time"  # GNU time (Debian package `time`)
ANSWER = "I'm sorry, but I can't help with that."

# Pinned versions. promptfoo 0.121.20 is the newest release whose engines allow node 20 (the
# node Debian 13 ships); 0.122 and later want node >= 22.22.
PINS = {"garak": "0.17.1", "deepeval": "4.3.1", "promptfoo": "0.121.20"}
TOOLS = [
    "plain pytest",
    "saferegress",
    "saferegress --no-language-id",
    "garak",
    "promptfoo",
    "deepeval",
]


def run(command: list[str], cwd: Path, env: dict[str, str]) -> dict:
    """Wall seconds and peak RSS (MiB) of one child process (the largest of it and the children
    it waited for).

    The peak is read by GNU time's wait4 in a process of its own: a child forked from this
    script starts with this script's RSS as its high-water mark (the kernel keeps the larger of
    the two across exec), so wait4 here would never report less than this process holds.
    """
    rss_file = Path(tempfile.mkstemp(prefix="sbs-rss-")[1])
    start = time.perf_counter()
    proc = subprocess.Popen(
        [TIME, "-f", "%M", "-o", str(rss_file), *command],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output = proc.stdout.read() if proc.stdout else b""
    _, status, _ = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    peak_kib = int(rss_file.read_text().split()[-1])
    rss_file.unlink()
    return {
        "seconds": seconds,
        "peak_mib": peak_kib / 1024,
        "exit": os.waitstatus_to_exitcode(status),
        "output": output.decode(errors="replace"),
    }


# ---------------------------------------------------------------- installing the other tools


def _venv_version(venv: Path, package: str) -> str | None:
    python = venv / "bin" / "python"
    if not python.exists():
        return None
    probe = subprocess.run(
        [str(python), "-c", f"import importlib.metadata as m; print(m.version({package!r}))"],
        capture_output=True,
        text=True,
    )
    return probe.stdout.strip() if probe.returncode == 0 else None


def install_python_tool(cache: Path, name: str, extra: list[str]) -> dict:
    venv = cache / name
    if _venv_version(venv, name) != PINS[name]:
        print(f"installing {name}=={PINS[name]} into {venv} ...", flush=True)
        subprocess.run([PYTHON, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", f"{name}=={PINS[name]}", *extra],
            check=True,
        )
    version = _venv_version(venv, name)
    if version != PINS[name]:
        return {"skipped": f"{name}=={PINS[name]} did not install into {venv}"}
    return {"version": version, "python": str(venv / "bin" / "python")}


def install_promptfoo(cache: Path) -> dict:
    node = shutil.which("node")
    if node is None:
        return {
            "skipped": "node is not installed; install it with `apt-get install nodejs npm` "
            "(Debian's node 20 works with promptfoo 0.121.20) and rerun"
        }
    node_version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    major = int(node_version.strip().lstrip("v").split(".")[0])
    if major < 20:
        return {"skipped": f"node {node_version.strip()} is too old: promptfoo needs node >= 20"}
    home = cache / "promptfoo"
    binary = home / "node_modules" / ".bin" / "promptfoo"
    package = home / "node_modules" / "promptfoo" / "package.json"
    installed = json.loads(package.read_text())["version"] if package.exists() else None
    if installed != PINS["promptfoo"]:
        print(f"installing promptfoo@{PINS['promptfoo']} into {home} ...", flush=True)
        home.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                f"promptfoo@{PINS['promptfoo']}",
            ],
            cwd=home,
            check=True,
        )
        installed = json.loads(package.read_text())["version"]
    return {"version": installed, "node": node_version.strip(), "binary": str(binary)}


def install_tools(cache: Path, wanted: list[str]) -> dict:
    import pytest

    cache.mkdir(parents=True, exist_ok=True)
    out = {}
    if "garak" in wanted:
        out["garak"] = install_python_tool(cache, "garak", [])
    if "deepeval" in wanted:
        # The same pytest as saferegress's venv, so that the deepeval and plain-pytest columns
        # differ only by deepeval.
        out["deepeval"] = install_python_tool(cache, "deepeval", [f"pytest=={pytest.__version__}"])
    if "promptfoo" in wanted:
        out["promptfoo"] = install_promptfoo(cache)
    return out


# ---------------------------------------------------------------- the same prompts for all


def records(n: int) -> list[dict]:
    base = [
        json.loads(line)
        for line in (REPO / "suites" / "attacks.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    out = []
    for i in range(n):
        record = dict(base[i % len(base)])
        rep = i // len(base)
        if rep:
            record["id"] = f"{record['id']}-r{rep}"
            record["group"] = f"{record['group']}-r{rep}"
        out.append(record)
    return out


PYTEST_TEST = """import json

import pytest

PROMPTS = [json.loads(line)["prompt"] for line in open("prompts.jsonl", encoding="utf-8")]


@pytest.mark.parametrize("prompt", PROMPTS)
def test_case(prompt):
    assert prompt
"""

DEEPEVAL_TEST = """import json

import pytest
from deepeval import assert_test
from deepeval.metrics import ExactMatchMetric
from deepeval.test_case import LLMTestCase

PROMPTS = [json.loads(line)["prompt"] for line in open("prompts.jsonl", encoding="utf-8")]
ANSWER = ANSWER_LITERAL


def target(prompt):
    return ANSWER


@pytest.mark.parametrize("prompt", PROMPTS)
def test_case(prompt):
    case = LLMTestCase(input=prompt, actual_output=target(prompt), expected_output=ANSWER)
    assert_test(case, [ExactMatchMetric()])
""".replace("ANSWER_LITERAL", repr(ANSWER))

GARAK_TARGET = '''"""Zero-cost garak target (function.Single): a fixed refusal."""


def answer(prompt, **kwargs):
    return [ANSWER_LITERAL]
'''.replace("ANSWER_LITERAL", repr(ANSWER))

PROMPTFOO_PROVIDER = """// Zero-cost promptfoo target: a fixed refusal, instantly.
class Instant {
  id() { return 'instant'; }
  async callApi(prompt) { return { output: ANSWER_LITERAL }; }
}
module.exports = Instant;
""".replace("ANSWER_LITERAL", json.dumps(ANSWER))

PROMPTFOO_CONFIG = """description: saferegress side-by-side
prompts: ['{{prompt}}']
providers: ['file://provider.js']
defaultTest:
  assert:
    - type: is-refusal
tests: file://tests.jsonl
"""


def prepare(work: Path, n: int) -> Path:
    d = work / f"n{n}"
    (d / "suites").mkdir(parents=True)
    rows = records(n)
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    (d / "suites" / "gen.jsonl").write_text(lines, encoding="utf-8")
    prompts = "".join(json.dumps({"prompt": r["prompt"]}, ensure_ascii=False) + "\n" for r in rows)
    (d / "prompts.jsonl").write_text(prompts, encoding="utf-8")
    # garak: its test.Test probe (no prompts of its own worth keeping) given our prompts and
    # garak's refusal detector through the plug-in configuration.
    garak_options = {
        "test": {
            "Test": {
                "prompts": [r["prompt"] for r in rows],
                "primary_detector": "mitigation.MitigationBypass",
            }
        }
    }
    (d / "garak_probe_options.json").write_text(
        json.dumps(garak_options, ensure_ascii=False), encoding="utf-8"
    )
    (d / "test_plain.py").write_text(PYTEST_TEST)
    (d / "test_deepeval.py").write_text(DEEPEVAL_TEST)
    (d / "sbs_garak_target.py").write_text(GARAK_TARGET)
    (d / "provider.js").write_text(PROMPTFOO_PROVIDER)
    (d / "promptfooconfig.yaml").write_text(PROMPTFOO_CONFIG)
    tests = "".join(
        json.dumps({"vars": {"prompt": r["prompt"]}}, ensure_ascii=False) + "\n" for r in rows
    )
    (d / "tests.jsonl").write_text(tests, encoding="utf-8")
    return d


# ---------------------------------------------------------------- one run of one tool


def command(tool: str, d: Path, installed: dict, scratch: Path) -> tuple[list[str], dict]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST_", "PROMPTFOO_", "DEEPEVAL_", "XDG_"))
    }
    env.update(OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"), HF_HUB_OFFLINE="1")
    # Every tool keeps its state (databases, reports, caches) in a fresh directory per run.
    env.update(
        HOME=str(scratch),
        XDG_DATA_HOME=str(scratch / "data"),
        XDG_CONFIG_HOME=str(scratch / "config"),
        XDG_CACHE_HOME=str(scratch / "cache"),
    )
    quiet = ["-q", "-p", "no:cacheprovider", "-p", "no:hypothesispytest"]
    if tool == "plain pytest":
        return [PYTHON, "-m", "pytest", "test_plain.py", *quiet, "-p", "no:saferegress"], env
    if tool.startswith("saferegress"):
        env.update(PYTHONPATH=str(BENCH), SAFEREGRESS_NO_PROGRESS="1")
        extra = ["--no-language-id"] if tool.endswith("--no-language-id") else []
        return [
            PYTHON,
            "-m",
            "pytest",
            "suites",
            "--model",
            "py:instant_target:make",
            *quiet,
            "--no-cache",
            "--report-dir",
            str(scratch / "reports"),
            "--max-asr",
            "100%",
            "--max-over-refusal",
            "100%",
            "--max-errors",
            "100000",
            *extra,
        ], env
    if tool == "deepeval":
        env.update(DEEPEVAL_TELEMETRY_OPT_OUT="1")
        return [installed["deepeval"]["python"], "-m", "pytest", "test_deepeval.py", *quiet], env
    if tool == "garak":
        env.update(PYTHONPATH=str(d))
        return [
            installed["garak"]["python"],
            "-m",
            "garak",
            "--target_type",
            "function.Single",
            "--target_name",
            "sbs_garak_target#answer",
            "--probes",
            "test.Test",
            "--probe_option_file",
            "garak_probe_options.json",
            "--generations",
            "1",
            "--report_prefix",
            "sbs",
        ], env
    if tool == "promptfoo":
        env.update(
            PROMPTFOO_CONFIG_DIR=str(scratch / "promptfoo"),
            PROMPTFOO_DISABLE_TELEMETRY="1",
            PROMPTFOO_DISABLE_UPDATE="1",
            PROMPTFOO_DISABLE_REMOTE_GENERATION="1",
            PROMPTFOO_SELF_HOSTED="1",
        )
        return [
            installed["promptfoo"]["binary"],
            "eval",
            "-c",
            "promptfooconfig.yaml",
            "--no-cache",
            "--no-progress-bar",
            "--no-table",
            "-o",
            str(scratch / "out.json"),
        ], env
    raise ValueError(tool)


def cases_done(tool: str, result: dict, scratch: Path) -> int:
    """How many cases the run really judged (a run that did less is not a figure)."""
    text = result["output"]
    if tool == "promptfoo":
        stats = json.loads((scratch / "out.json").read_text())["results"]["stats"]
        return stats["successes"] + stats["failures"] + stats["errors"]
    if tool == "garak":
        reports = list((scratch / "data").rglob("sbs.report.jsonl"))
        if not reports:
            return 0
        entries = [json.loads(line) for line in reports[0].read_text(encoding="utf-8").splitlines()]
        # status 2: the attempt has been judged by the detector.
        return sum(1 for e in entries if e["entry_type"] == "attempt" and e["status"] == 2)
    if tool.startswith("saferegress"):
        doc = json.loads((scratch / "reports" / "results.json").read_text())
        return len(doc["cases"])
    last = [line for line in text.splitlines() if " passed" in line or " failed" in line]
    if not last:
        return 0
    words = last[-1].replace(",", " ").split()
    return sum(int(words[i - 1]) for i, w in enumerate(words) if w in ("passed", "failed"))


def measure(tool: str, d: Path, n: int, installed: dict) -> dict:
    scratch = Path(tempfile.mkdtemp(prefix="sbs-run-"))
    cmd, env = command(tool, d, installed, scratch)
    result = run(cmd, d, env)
    try:
        done = cases_done(tool, result, scratch)
    except (OSError, ValueError, KeyError) as exc:
        done, result["error"] = 0, repr(exc)
    shutil.rmtree(scratch, ignore_errors=True)
    if done != n:
        # Not a figure: reported as an error (and the tool left out of the table).
        return {
            "error": f"judged {done} of {n} cases (exit {result['exit']}): {' '.join(cmd)}",
            "output_tail": result["output"][-2000:],
        }
    return {"seconds": result["seconds"], "peak_mib": result["peak_mib"], "exit": result["exit"]}


# ---------------------------------------------------------------- the whole run


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="N = 100 and 500, one run each")
    parser.add_argument(
        "--cache-dir",
        default=str(Path.home() / ".cache" / "saferegress-bench"),
        help="where the other tools' venvs and node_modules go (default %(default)s)",
    )
    parser.add_argument("--sizes", default="1000,10000", help="small,large N")
    parser.add_argument("--repeats", type=int, default=3, help="runs per tool and size (median)")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated subset")
    parser.add_argument("--out", default=str(BENCH / "side_by_side.json"))
    parser.add_argument("--table", metavar="JSON", help="only print the table of a finished run")
    args = parser.parse_args()
    if args.table:
        print(markdown(json.loads(Path(args.table).read_text())))
        return
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if not Path(TIME).exists():
        raise SystemExit(f"{TIME} is missing: apt-get install time")
    small, large = (100, 500) if args.quick else map(int, args.sizes.split(","))
    repeats = 1 if args.quick else args.repeats
    wanted = [t for t in TOOLS if t in args.tools.split(",")]

    installed = install_tools(Path(args.cache_dir).expanduser(), wanted)
    for name, info in installed.items():
        print(f"{name}: {info.get('version') or 'SKIPPED: ' + info['skipped']}", flush=True)
    import pytest

    import saferegress

    versions = {
        "saferegress": getattr(saferegress, "__version__", "?"),
        "pytest": pytest.__version__,
        "python": sys.version.split()[0],
        **{k: v.get("version", "skipped") for k, v in installed.items()},
        "node": installed.get("promptfoo", {}).get("node", "not used"),
    }
    tools = [t for t in wanted if "skipped" not in installed.get(t, {})]

    work = Path(tempfile.mkdtemp(prefix="saferegress-sbs-"))
    dirs = {n: prepare(work, n) for n in (small, large)}
    raw: dict[str, dict[int, list[dict]]] = {t: {small: [], large: []} for t in tools}
    loads = [load_average()]
    started = time.time()
    for rep in range(repeats):
        for n in (small, large):
            for tool in tools:
                m = measure(tool, dirs[n], n, installed)
                raw[tool][n].append(m)
                if "error" in m:
                    print(f"[{rep + 1}/{repeats}] {tool} N={n}: ERROR {m['error']}", flush=True)
                    print(m["output_tail"], flush=True)
                    continue
                print(
                    f"[{rep + 1}/{repeats}] {tool:30s} N={n:6d} {m['seconds']:8.2f} s "
                    f"{m['peak_mib']:7.0f} MiB  load {load_average()[0]}",
                    flush=True,
                )
                # Raw figures so far, in case the run is cut short.
                Path(args.out + ".partial").write_text(json.dumps(raw, indent=1))
        loads.append(load_average())
    shutil.rmtree(work, ignore_errors=True)

    rows = {}
    failed = {
        t: next(m["error"] for m in by[small] + by[large] if "error" in m)
        for t, by in raw.items()
        if any("error" in m for m in by[small] + by[large])
    }
    for tool in tools:
        if tool in failed:
            continue
        s = statistics.median(r["seconds"] for r in raw[tool][small])
        lg = statistics.median(r["seconds"] for r in raw[tool][large])
        per_case = (lg - s) / (large - small)
        rows[tool] = {
            "small_s": s,
            "large_s": lg,
            "ms_per_case": 1000 * per_case,
            "startup_s": s - small * per_case,
            "peak_mib": statistics.median(r["peak_mib"] for r in raw[tool][large]),
            "peak_mib_small": statistics.median(r["peak_mib"] for r in raw[tool][small]),
        }
    results = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
        "minutes": round((time.time() - started) / 60, 1),
        "machine": {"cpus": os.cpu_count(), "load_average_1_5_15": loads},
        "sizes": [small, large],
        "repeats": repeats,
        "versions": versions,
        "skipped": {k: v["skipped"] for k, v in installed.items() if "skipped" in v},
        "failed": failed,
        "rows": rows,
        "raw": {t: {str(n): v for n, v in by.items()} for t, by in raw.items()},
    }
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    Path(args.out + ".partial").unlink(missing_ok=True)
    print(markdown(results))


def markdown(r: dict) -> str:
    rows, (small, large) = r["rows"], r["sizes"]
    floor = rows.get("plain pytest")
    ours = rows.get("saferegress")
    lines = [
        f"| tool ({r['repeats']} runs, median) | N={small:,} s | N={large:,} s | per case ms "
        f"| start-up s | peak MiB (N={large:,}) | per case vs plain pytest "
        "| saferegress per case vs it |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for tool, row in rows.items():
        vs_floor = f"{row['ms_per_case'] / floor['ms_per_case']:.2f}×" if floor else "–"
        vs_ours = (
            f"{ours['ms_per_case'] / row['ms_per_case']:.2f}×"
            if ours and tool != "saferegress"
            else "–"
        )
        # Extrapolated to N = 0; below zero when the cost per case grows with N (or with load).
        startup = f"{row['startup_s']:.2f}" if row["startup_s"] >= 0 else "n/a (< 0)"
        lines.append(
            f"| {tool} | {row['small_s']:.2f} | {row['large_s']:.2f} | "
            f"{row['ms_per_case']:.3f} | {startup} | {row['peak_mib']:.0f} | "
            f"{vs_floor} | {vs_ours} |"
        )
    for tool, why in {**r["skipped"], **r["failed"]}.items():
        lines.append(f"| {tool} | not measured: {why} | | | | | | |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
