#!/usr/bin/env bash
# GPU smoke test: the demo model and the shipped guard checkpoints on cuda, bf16 against fp32
# verdicts, prompts per second per engine (hf; vllm when installed). Nothing is downloaded.
# Runs in under 10 minutes on one GPU; on a machine without one it runs the CPU part, says so
# and exits 0. CI never needs a GPU (tests/test_device.py runs the CPU path with a tiny budget).
#
#   bench/gpu_smoke.sh [OUT.json]      (default bench/gpu_smoke_results.json)
#
# Environment: SMOKE_BUDGET_S (seconds after which no new stage starts; default 480),
# SMOKE_CASES (starter prompts; default 240), SMOKE_MAX_NEW_TOKENS (default 48),
# PYTHON (default: the project's .venv, else python3).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
out="${1:-$here/gpu_smoke_results.json}"
python="${PYTHON:-}"
if [[ -z "$python" ]]; then
  if [[ -x "$repo/.venv/bin/python" ]]; then python="$repo/.venv/bin/python"; else python=python3; fi
fi
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 VLLM_NO_USAGE_STATS=1 DO_NOT_TRACK=1
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,memory.total,memory.used --format=csv,noheader || true
else
  echo "gpu_smoke: nvidia-smi not found"
fi
exec "$python" "$here/gpu_smoke.py" --out "$out" \
  --budget-s "${SMOKE_BUDGET_S:-480}" \
  --cases "${SMOKE_CASES:-240}" \
  --max-new-tokens "${SMOKE_MAX_NEW_TOKENS:-48}"
