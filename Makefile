# Entry points, each sets up what it needs in .venv first:
#   make demo   run the starter suite against the shipped demo model (exits 1: the gate fails)
#   make test   lint, then the project's own tests (what CI runs; -ra lists every skip)
#   make lint   ruff (lint and format) on src/ and tests/, mypy on src/
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_WORKERS ?= 2

.PHONY: demo test lint install-demo install-dev demo-model clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install-demo: $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[hf]"

install-dev: $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[dev]"
	@# torchvision from the index is a CUDA build that breaks transformers beside CPU torch.
	$(BIN)/python -m pip uninstall -q -y torchvision torchaudio torchcodec 2>/dev/null || true

# One torch thread: on 2 cores a tiny model runs faster so, and steadier under other load.
demo: install-demo
	OMP_NUM_THREADS=1 $(BIN)/pytest suites/ --model demo --lang all

# Where CI is set (.ci/run sets it), a skip not in tests/allowed_skips.txt fails the run and
# hypothesis runs derandomised with no deadline (tests/conftest.py). Lint runs first: ruff and
# mypy are part of the gate this project holds itself to.
test: lint
	$(BIN)/pytest tests -n $(PYTEST_WORKERS) -ra

lint: install-dev
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy src

# Rebuild the shipped demo checkpoint (minutes on 2 cores; CI never does this).
demo-model: install-dev
	$(BIN)/python scripts/build_demo_model.py

clean:
	rm -rf $(VENV) reports/*.html reports/*.json .pytest_cache .mypy_cache .ruff_cache
