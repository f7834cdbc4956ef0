"""HFTarget on a tiny random Llama: batching, padding, order, limits, errors, fingerprint."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import transformers  # noqa: F401  (the dev extra has it: missing fails, never skips)

from saferegress.backends.base import Generation, Target, TargetOptions, conversation
from saferegress.backends.hf import HFTarget  # noqa: E402
from saferegress.errors import TargetError

# Different lengths and scripts, so that batches need padding and the sort reorders them.
PROMPTS = [
    "Hello, how are you?",
    "Kako si danes? Ali mi lahko pomagaš pri domači nalogi iz kemije, prosim?",
    "x",
    "Jak się dziś masz?",
    "Wie geht es dir heute? Kannst du mir bitte erklären, wie Photosynthese funktioniert?",
    "Kā tu šodien jūties?",
    "Explain photosynthesis.",
    "Kaip sekasi šiandien? Ačiū, gerai. Ar galite man padėti su šiuo uždaviniu?",
    "Děkuji",
    "Sure, here is how to bake bread: mix flour, water, salt and yeast, then wait an hour.",
]
CONVERSATIONS = [conversation(p) for p in PROMPTS]


@pytest.fixture(scope="module")
def batched(tiny_model_dir: Path) -> HFTarget:
    # batch_size 4 over 10 prompts: three batches, the last one short.
    return HFTarget(tiny_model_dir, TargetOptions(max_new_tokens=16, batch_size=4))


@pytest.fixture(scope="module")
def one_by_one(tiny_model_dir: Path) -> HFTarget:
    return HFTarget(tiny_model_dir, TargetOptions(max_new_tokens=16, batch_size=1))


def test_is_a_target_named_by_absolute_path(batched: HFTarget, tiny_model_dir: Path) -> None:
    assert isinstance(batched, Target)
    assert batched.name == f"hf:{tiny_model_dir.resolve()}"
    assert repr(batched) == f"HFTarget({batched.name!r})"


def test_batched_equals_one_by_one_in_original_order(
    batched: HFTarget, one_by_one: HFTarget
) -> None:
    together = batched.generate(CONVERSATIONS)
    alone = [one_by_one.generate([c])[0] for c in CONVERSATIONS]

    assert all(g.error is None and g.text for g in together), together
    assert together == alone
    # Answers differ from prompt to prompt, so equality above also proves the order.
    assert len({g.text for g in together}) >= len(PROMPTS) - 1


def test_same_answers_whatever_the_batch_composition(batched: HFTarget) -> None:
    full = batched.generate(CONVERSATIONS)
    reversed_answers = batched.generate(CONVERSATIONS[::-1])
    assert reversed_answers == full[::-1]
    assert batched.generate([]) == []


def test_max_new_tokens_is_honoured(tiny_model_dir: Path, monkeypatch) -> None:
    target = HFTarget(tiny_model_dir, TargetOptions(max_new_tokens=5, batch_size=8))
    seen: list[int] = []
    generate = target._model.generate

    def spy(*args, **kwargs):
        out = generate(*args, **kwargs)
        seen.append(out.shape[1] - kwargs["input_ids"].shape[1])
        return out

    monkeypatch.setattr(target._model, "generate", spy)
    short = target.generate(CONVERSATIONS)
    assert seen and max(seen) == 5  # a random model rarely stops early; never goes past
    assert all(g.text is not None for g in short)


def test_a_failing_batch_becomes_errors_and_the_rest_still_runs(
    tiny_model_dir: Path, monkeypatch
) -> None:
    target = HFTarget(tiny_model_dir, TargetOptions(max_new_tokens=4, batch_size=3))
    expected = target.generate(CONVERSATIONS)
    generate = target._model.generate
    calls = 0

    def second_batch_fails(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("simulated out of memory")
        return generate(*args, **kwargs)

    monkeypatch.setattr(target._model, "generate", second_batch_fails)
    answers = target.generate(CONVERSATIONS)

    failed = [i for i, g in enumerate(answers) if g.error is not None]
    assert len(failed) == 3
    assert all("simulated out of memory" in answers[i].error for i in failed)
    assert all(answers[i] == expected[i] for i in range(len(PROMPTS)) if i not in failed)
    assert all(isinstance(g, Generation) for g in answers)


def test_missing_path_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    with pytest.raises(TargetError, match="no-such-model"):
        HFTarget(missing)


def test_a_directory_that_is_not_a_checkpoint(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a model")
    with pytest.raises(TargetError, match="no config.json") as info:
        HFTarget(tmp_path)
    assert str(tmp_path) in str(info.value)


def test_a_checkpoint_without_chat_template(tiny_model_dir: Path, tmp_path: Path) -> None:
    copy = shutil.copytree(tiny_model_dir, tmp_path / "base-model")
    (copy / "chat_template.jinja").unlink()
    config_file = copy / "tokenizer_config.json"
    tokenizer_config = json.loads(config_file.read_text())
    tokenizer_config.pop("chat_template", None)
    config_file.write_text(json.dumps(tokenizer_config))

    with pytest.raises(TargetError, match="no chat template") as info:
        HFTarget(copy)
    assert str(copy) in str(info.value)


def test_fingerprint_is_stable_and_follows_the_files(
    batched: HFTarget, tiny_model_dir: Path, tmp_path: Path
) -> None:
    from saferegress.engine.fingerprints import checkpoint_fingerprint

    fingerprint = batched.fingerprint
    assert len(fingerprint) == 64 and int(fingerprint, 16) >= 0
    assert batched.fingerprint == fingerprint  # cached, and the same on recomputation:
    assert checkpoint_fingerprint(tiny_model_dir) == fingerprint

    copy = shutil.copytree(tiny_model_dir, tmp_path / "copy")
    (copy / "README.md").write_text("docs do not change what the model answers")
    assert checkpoint_fingerprint(copy) == fingerprint
    (copy / "chat_template.jinja").write_text(
        (copy / "chat_template.jinja").read_text().replace("assistant", "bot")
    )
    assert checkpoint_fingerprint(copy) != fingerprint


def test_plugin_and_backend_modules_import_no_torch() -> None:
    code = (
        "import sys, saferegress.plugin.hooks, saferegress.backends, saferegress.backends.hf\n"
        "heavy = sorted(m for m in ('torch', 'transformers') if m in sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_loading_freezes_the_import_heap_but_not_the_model(tiny_model_dir: Path) -> None:
    """After torch and transformers are imported the collector skips their objects (each full
    collection would walk ~450,000 of them, pytest runs two at the end), while the model loaded
    afterwards stays collectable, so closing the target frees it."""
    code = f"""
import gc, weakref
from saferegress.backends.base import TargetOptions
from saferegress.backends.hf import HFTarget
assert gc.get_freeze_count() == 0
target = HFTarget({str(tiny_model_dir)!r}, TargetOptions(max_new_tokens=4))
assert gc.get_freeze_count() > 100_000, gc.get_freeze_count()
tracked = {{id(o) for o in gc.get_objects()}}  # the permanent generation is not listed
assert id(target._model) in tracked
assert all(id(p) in tracked for p in target._model.parameters())
model = weakref.ref(target._model)
HFTarget({str(tiny_model_dir)!r}, TargetOptions(max_new_tokens=4)).close()
count = gc.get_freeze_count()
target.close()
gc.collect()
assert model() is None
assert gc.get_freeze_count() == count  # once a process
"""
    subprocess.run([sys.executable, "-c", code], check=True)
