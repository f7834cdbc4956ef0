"""One model-spec grammar and one model fingerprint: parsing, full-weight hashing, the memo."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

import saferegress.engine.fingerprints as fingerprints
from saferegress.backends import DEMO_MODEL_DIR, target_spec_help
from saferegress.engine.fingerprints import (
    CheckpointMemo,
    checkpoint_fingerprint,
    model_fingerprint,
    run_fingerprints,
)
from saferegress.engine.specs import ModelSpec, parse_model_spec, public_spec
from saferegress.errors import ConfigError

MiB = 1 << 20
SECRET_URL = "https://user:hunter2pass@gateway.example:8443/v1/?api_key=sk-query-secret"


def make_checkpoint(directory: Path, weights: bytes) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "config.json").write_text('{"model_type": "llama"}')
    (directory / "tokenizer.json").write_text('{"version": "1.0"}')
    (directory / "model.safetensors").write_bytes(weights)
    (directory / "README.md").write_text("notes")
    return directory


@pytest.fixture
def hash_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every real hashing of a checkpoint (the memo's misses), by directory."""
    calls: list[str] = []
    real = fingerprints.hash_checkpoint_files

    def counting(directory: str | Path) -> str:
        calls.append(str(directory))
        return real(directory)

    monkeypatch.setattr(fingerprints, "hash_checkpoint_files", counting)
    return calls


# -- the grammar -------------------------------------------------------------------------------


def test_every_form_parses_to_kind_name_and_public_endpoint(tmp_path: Path) -> None:
    assert parse_model_spec("demo") == ModelSpec("hf", str(DEMO_MODEL_DIR))
    assert str(parse_model_spec("demo")) == "demo"
    assert parse_model_spec("demo") == parse_model_spec(f"hf:{DEMO_MODEL_DIR}")
    assert parse_model_spec(str(tmp_path)) == ModelSpec("hf", str(tmp_path))
    assert parse_model_spec(f" vllm:{tmp_path} ") == ModelSpec("vllm", str(tmp_path))
    assert parse_model_spec(f"vllm:{tmp_path}").path == tmp_path
    assert parse_model_spec("py:pkg.mod:Factory.make") == ModelSpec("py", "pkg.mod:Factory.make")
    assert parse_model_spec("openai:gpt-4o-mini") == ModelSpec("openai", "gpt-4o-mini")
    assert parse_model_spec("openai:gpt-4o-mini").path is None


def test_an_endpoint_spec_shows_only_the_public_url(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = parse_model_spec(f"openai:gpt-x@{SECRET_URL}")
    assert (spec.kind, spec.name) == ("openai", "gpt-x")
    assert spec.endpoint == "https://gateway.example:8443/v1"
    for shown in (repr(spec), str(spec), spec.endpoint):
        assert "hunter2pass" not in shown and "sk-query-secret" not in shown
    # The URL as written is kept for the connection only, and wins over every default.
    monkeypatch.setenv("OPENAI_BASE_URL", "http://env.example/v1")
    assert spec.base_url("http://option.example/v1") == SECRET_URL
    plain = parse_model_spec("openai:gpt-x")
    assert plain.base_url("http://option.example/v1") == "http://option.example/v1"
    assert plain.base_url() == "http://env.example/v1"
    monkeypatch.delenv("OPENAI_BASE_URL")
    assert plain.base_url() == "https://api.openai.com/v1"
    assert public_spec(f"polyguard:openai:pg@{SECRET_URL}") == (
        "polyguard:openai:pg@https://gateway.example:8443/v1"
    )


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("", "(empty)"),
        ("gpt-4o", "'gpt-4o' (not a directory, and no KIND: prefix)"),
        ("./no/such/dir", "not a directory"),
        ("ollama:llama3", "'ollama' is not a target kind"),
        ("hf:", "nothing after 'hf:'"),
        ("openai:  ", "nothing after 'openai:'"),
        ("py:just_a_module", "must look like py:MODULE:ATTR"),
        ("py::attr", "must look like py:MODULE:ATTR"),
        ("hf:/models/x@http://host/v1", "an @URL endpoint is for openai: targets only"),
        ("openai:@http://host/v1", "names no model before the @URL"),
        ("openai:m@http://", "has no host"),
    ],
)
def test_a_bad_spec_is_a_config_error_naming_the_bad_part(text: str, names: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_model_spec(text)
    assert names in str(info.value)


def test_unknown_forms_list_the_accepted_ones_and_never_a_secret() -> None:
    with pytest.raises(ConfigError) as info:
        parse_model_spec(f"ollama:llama3@{SECRET_URL}")
    message = str(info.value)
    assert target_spec_help() in message
    assert "hunter2pass" not in message and "sk-query-secret" not in message


# -- the fingerprint ---------------------------------------------------------------------------


def test_a_change_in_the_middle_of_the_weights_changes_the_fingerprint(tmp_path: Path) -> None:
    # Larger than the first and last MiB an edge hash would read: the middle is what a
    # fine-tune of the middle layers changes.
    weights = bytearray(os.urandom(5 * MiB))
    checkpoint = make_checkpoint(tmp_path / "ckpt", bytes(weights))
    before = model_fingerprint(str(checkpoint))
    weights[len(weights) // 2] ^= 0xFF
    (checkpoint / "model.safetensors").write_bytes(bytes(weights))  # same size, same name
    after = model_fingerprint(str(checkpoint))
    assert before is not None and after is not None and before != after


def test_a_replaced_checkpoint_is_a_new_model_and_a_moved_one_is_not(tmp_path: Path) -> None:
    weights = os.urandom(3 * MiB)
    first = make_checkpoint(tmp_path / "a", weights)
    moved = make_checkpoint(tmp_path / "b", weights)
    (moved / "README.md").write_text("docs do not change what the model answers")
    assert model_fingerprint(str(first)) == model_fingerprint(f"hf:{moved}")
    replaced = make_checkpoint(tmp_path / "c", weights[:-1] + bytes([weights[-1] ^ 1]))
    assert model_fingerprint(str(replaced)) != model_fingerprint(str(first))


def test_vllm_and_hf_hash_the_weights_alike_and_differ_by_engine(tmp_path: Path) -> None:
    checkpoint = make_checkpoint(tmp_path / "ckpt", b"weights")
    hf, bare, vllm = (
        model_fingerprint(s) for s in (f"hf:{checkpoint}", str(checkpoint), f"vllm:{checkpoint}")
    )
    assert hf == bare and hf is not None and vllm is not None
    assert hf.startswith("hf:sha256:") and vllm.startswith("vllm:sha256:")
    assert hf.removeprefix("hf:") == vllm.removeprefix("vllm:")


def test_the_weights_hash_is_the_one_the_answer_cache_was_keyed_by(tmp_path: Path) -> None:
    """An existing cache still resumes: a checkpoint's digest is sha256 over name, size and
    bytes of its weight, config and tokenizer files in name order — the digest answer keys held
    before there was one fingerprint (recomputed here from that definition)."""
    checkpoint = make_checkpoint(tmp_path / "ckpt", b"\x00weights\xff" * 1000)
    expected = hashlib.sha256()
    for name in ("config.json", "model.safetensors", "tokenizer.json"):
        data = (checkpoint / name).read_bytes()
        expected.update(f"{name}\0{len(data)}\0".encode() + data)
    assert model_fingerprint(str(checkpoint)) == f"hf:sha256:{expected.hexdigest()}"
    assert model_fingerprint("demo") == f"hf:sha256:{checkpoint_fingerprint(DEMO_MODEL_DIR)}"


def test_endpoints_fingerprint_model_and_public_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    a = model_fingerprint("openai:m@http://a.example/v1")
    b = model_fingerprint("openai:m@http://b.example/v1")
    assert a == "openai:m@http://a.example/v1" and a != b
    # Without @URL: the --base-url option, then OPENAI_BASE_URL, then the official default.
    assert model_fingerprint("openai:m", "http://a.example/v1") == a
    assert model_fingerprint("openai:m", "http://b.example/v1") == b
    assert model_fingerprint("openai:m") == "openai:m@https://api.openai.com/v1"
    secret = model_fingerprint(f"openai:m@{SECRET_URL}")
    assert secret == "openai:m@https://gateway.example:8443/v1"
    # Custom targets and unusable specs: only a loaded target could tell.
    assert model_fingerprint("py:module:factory") is None
    assert model_fingerprint("ollama:llama3") is None
    assert model_fingerprint("hf:/no/such/checkpoint") is None


def test_results_and_baselines_use_the_same_fingerprint_as_the_cache(tmp_path: Path) -> None:
    checkpoint = make_checkpoint(tmp_path / "ckpt", b"weights")
    records = [{"id": "a", "lang": "de", "category": "S1", "kind": "attack", "prompt": "p"}]
    prints = run_fingerprints(f"vllm:{checkpoint}", ["refusal"], records)
    assert prints["model"] == model_fingerprint(f"vllm:{checkpoint}")
    endpoint = run_fingerprints("openai:m", ["refusal"], records, base_url=SECRET_URL)
    assert endpoint["model"] == "openai:m@https://gateway.example:8443/v1"
    # Where only a loaded target could say, results name the spec (in public form).
    assert run_fingerprints("py:mod:make", [], records)["model"] == "py:mod:make"


# -- the memo ----------------------------------------------------------------------------------


def test_the_memo_hashes_a_checkpoint_once_until_a_file_changes(
    tmp_path: Path, hash_calls: list[str]
) -> None:
    checkpoint = make_checkpoint(tmp_path / "ckpt", os.urandom(2 * MiB))
    memo = CheckpointMemo(tmp_path / "memo.json", settle_s=0)
    first = checkpoint_fingerprint(checkpoint, memo)
    assert len(hash_calls) == 1
    assert checkpoint_fingerprint(checkpoint, memo) == first
    # Another process (a new memo object on the same file) finds it too.
    assert checkpoint_fingerprint(checkpoint, CheckpointMemo(memo.path, settle_s=0)) == first
    assert len(hash_calls) == 1
    (checkpoint / "README.md").write_text("not a model file")  # not part of the model
    assert checkpoint_fingerprint(checkpoint, memo) == first
    assert len(hash_calls) == 1
    (checkpoint / "tokenizer.json").write_text('{"version": "1.1"}')
    assert checkpoint_fingerprint(checkpoint, memo) != first
    assert len(hash_calls) == 2


def test_a_damaged_memo_is_read_as_empty_and_rewritten(
    tmp_path: Path, hash_calls: list[str]
) -> None:
    checkpoint = make_checkpoint(tmp_path / "ckpt", b"weights")
    memo = CheckpointMemo(tmp_path / "memo.json", settle_s=0)
    memo.path.write_text("{not json")
    digest = checkpoint_fingerprint(checkpoint, memo)
    assert checkpoint_fingerprint(checkpoint, memo) == digest
    assert len(hash_calls) == 1


def test_files_changed_within_the_last_seconds_are_not_remembered(
    tmp_path: Path, hash_calls: list[str]
) -> None:
    """File times tick coarsely: a file rewritten at the same size within one tick keeps its
    stats, so a checkpoint that has just changed is hashed again every time."""
    checkpoint = make_checkpoint(tmp_path / "ckpt", b"weights-1")
    memo = CheckpointMemo(tmp_path / "memo.json")  # the default: 2 s to settle
    first = checkpoint_fingerprint(checkpoint, memo)
    (checkpoint / "model.safetensors").write_bytes(b"weights-2")  # same size, same moment
    assert checkpoint_fingerprint(checkpoint, memo) != first
    assert len(hash_calls) == 2


def test_model_fingerprint_memoises_under_the_user_cache_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hash_calls: list[str]
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    first = model_fingerprint("demo")  # the shipped checkpoint: its files settled long ago
    assert model_fingerprint("demo") == first
    assert model_fingerprint(f"vllm:{DEMO_MODEL_DIR}") == "vllm:" + first.removeprefix("hf:")
    assert len(hash_calls) == 1
    assert (tmp_path / "xdg" / "saferegress" / "checkpoint-hashes.json").is_file()
