"""load_target: every spec form, the errors users see, and lazy imports."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

import saferegress.backends as backends
import saferegress.engine.specs as specs
from saferegress.backends import load_target, target_spec_help
from saferegress.backends.base import Generation, Target, TargetOptions, conversation
from saferegress.backends.registry import TARGETS, target_kinds
from saferegress.errors import MissingExtraError, TargetError

OPTIONS = TargetOptions(max_new_tokens=4, batch_size=2)
PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_the_target_kinds_are_the_entry_points_saferegress_declares() -> None:
    """hf, vllm, openai and py are found the way a plugin's kinds are: entry points."""
    declared = tomllib.loads(PYPROJECT.read_text("utf-8"))["project"]["entry-points"]
    targets = declared["saferegress.targets"]
    installed = {
        ep.name: ep.value
        for ep in metadata.distribution("saferegress").entry_points
        if ep.group == "saferegress.targets"
    }
    assert installed == targets
    assert target_kinds() == ("hf", "vllm", "openai", "py")
    assert set(target_kinds()) == set(targets)
    for kind in target_kinds():
        factory, registration = TARGETS.load(kind)
        assert registration.builtin
        assert f"{factory.__module__}:{factory.__qualname__}" == targets[kind]


CUSTOM_TARGETS = """
from saferegress.backends.base import Generation

class Echo:
    def __init__(self, options):
        self.options = options
        self.name = "echo"

    def generate(self, conversations):
        return [Generation(text=c[-1]["content"][: self.options.max_new_tokens])
                for c in conversations]

    def close(self):
        pass

def make_echo(options):
    return Echo(options)

class Factories:
    echo = staticmethod(make_echo)

def not_a_target(options):
    return "just a string"

NOT_CALLABLE = 42
"""


@pytest.fixture
def custom_module(tmp_path: Path, monkeypatch) -> str:
    name = f"custom_targets_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(CUSTOM_TARGETS))
    monkeypatch.syspath_prepend(str(tmp_path))
    return name


@pytest.mark.parametrize("attr", ["make_echo", "Echo", "Factories.echo"])
def test_py_spec_calls_a_factory_or_class_with_the_options(custom_module: str, attr: str) -> None:
    target = load_target(f"py:{custom_module}:{attr}", OPTIONS)
    assert isinstance(target, Target)
    assert target.name == "echo"
    assert target.generate([conversation("abcdefgh")]) == [Generation(text="abcd")]


@pytest.mark.parametrize(
    ("attr", "message"),
    [
        ("not_a_target", "returned str, which is not a Target"),
        ("missing", "has no attribute 'missing'"),
        ("NOT_CALLABLE", "is not callable"),
    ],
)
def test_py_spec_errors(custom_module: str, attr: str, message: str) -> None:
    with pytest.raises(TargetError, match=message):
        load_target(f"py:{custom_module}:{attr}", OPTIONS)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("py:no_such_module_xyz:f", "cannot import 'no_such_module_xyz'"),
        ("py:just_a_module", "must look like py:MODULE:ATTR"),
        ("py:", "is incomplete"),
    ],
)
def test_py_spec_malformed(spec: str, message: str) -> None:
    with pytest.raises(TargetError, match=message):
        load_target(spec, OPTIONS)


@pytest.mark.parametrize("spec", ["", "gpt-4o", "ollama:llama3", "./no/such/dir", "hf"])
def test_unknown_spec_lists_the_accepted_forms(spec: str) -> None:
    with pytest.raises(TargetError) as info:
        load_target(spec, OPTIONS)
    message = str(info.value)
    assert f"unknown target spec {spec!r}" in message
    for form in ("demo", "hf:PATH", "openai:MODEL", "py:MODULE:ATTR"):
        assert form in message
    assert target_spec_help() in message


def test_hf_spec_and_bare_directory(tiny_model_dir: Path) -> None:
    from saferegress.backends.hf import HFTarget

    by_prefix = load_target(f"hf:{tiny_model_dir}", OPTIONS)
    by_path = load_target(str(tiny_model_dir), OPTIONS)
    for target in (by_prefix, by_path):
        assert isinstance(target, HFTarget)
        assert target.name == f"hf:{tiny_model_dir}"
        assert target.options == OPTIONS
    assert by_prefix.generate([conversation("Hi")]) == by_path.generate([conversation("Hi")])


def test_hf_spec_with_a_missing_path(tmp_path: Path) -> None:
    import transformers  # noqa: F401

    with pytest.raises(TargetError, match="does not exist"):
        load_target(f"hf:{tmp_path / 'gone'}", OPTIONS)


def test_demo_spec_loads_the_shipped_checkpoint(tiny_model_dir: Path, monkeypatch) -> None:
    monkeypatch.setattr(specs, "DEMO_MODEL_DIR", tiny_model_dir)  # what ``demo`` names
    assert load_target("demo", OPTIONS).name == f"hf:{tiny_model_dir}"


def test_demo_spec_without_the_checkpoint_says_how_to_build_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(specs, "DEMO_MODEL_DIR", tmp_path / "demo_model")
    with pytest.raises(TargetError, match="python scripts/build_demo_model.py"):
        load_target("demo", OPTIONS)


def test_demo_model_lives_in_the_package() -> None:
    import saferegress

    assert backends.DEMO_MODEL_DIR == Path(saferegress.__file__).parent / "demo_model"


def test_openai_spec(monkeypatch) -> None:
    import openai  # noqa: F401

    from saferegress.backends.openai import OpenAITarget

    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    options = TargetOptions(base_url="http://127.0.0.1:9/v1")
    target = load_target("openai:my-model", options)  # builds a client; sends nothing
    assert isinstance(target, OpenAITarget)
    assert target.name == "openai:my-model@http://127.0.0.1:9/v1"
    target.close()


def test_openai_spec_without_the_package(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "openai", None)  # makes `import openai` fail
    with pytest.raises(MissingExtraError, match=r"pip install 'saferegress\[openai\]'"):
        load_target("openai:my-model", OPTIONS)


def test_importing_the_registry_imports_no_heavy_package() -> None:
    code = textwrap.dedent(
        """
        import sys
        import saferegress.backends, saferegress.plugin.hooks
        from saferegress.backends import load_target, target_spec_help
        heavy = sorted(m for m in ("torch", "transformers", "openai") if m in sys.modules)
        assert not heavy, heavy
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True)
