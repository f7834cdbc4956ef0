"""The fixer on accelerate: shipped configs, launcher options, hardware choices, the launched
training step. The 2-process DDP fix of the demo model and its held-out proof are in
test_fixer_loop.py (it reuses that module's demo run)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from accelerate.commands.config.config_args import load_config_from_file
from accelerate.utils import DistributedType

from saferegress.backends import DEMO_MODEL_DIR
from saferegress.cli import main
from saferegress.fixer import __main__ as fixer_main
from saferegress.fixer.cli import fix_config_from
from saferegress.fixer.launch import (
    ACCELERATE_CONFIGS,
    Launch,
    accelerate_config_path,
    launch_command,
)
from saferegress.fixer.train import RECORD_NAME, FixConfig, FixError, resolve_hardware


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_shipped_configs_parse_with_accelerates_own_loader() -> None:
    assert set(ACCELERATE_CONFIGS) == {"ddp", "deepspeed-zero3", "fsdp"}
    configs = {name: load_config_from_file(str(path)) for name, path in ACCELERATE_CONFIGS.items()}
    assert configs["ddp"].distributed_type == DistributedType.MULTI_GPU
    zero3 = configs["deepspeed-zero3"]
    assert zero3.distributed_type == DistributedType.DEEPSPEED
    # Sharded from creation, saved gathered: the fixed checkpoint is a normal one.
    assert zero3.deepspeed_config["zero_stage"] == 3
    assert zero3.deepspeed_config["zero3_init_flag"] is True
    assert zero3.deepspeed_config["zero3_save_16bit_model"] is True
    fsdp = configs["fsdp"]
    assert fsdp.distributed_type == DistributedType.FSDP
    assert fsdp.fsdp_config["fsdp_state_dict_type"] == "FULL_STATE_DICT"
    assert fsdp.fsdp_config["fsdp_version"] == 2
    for config in configs.values():
        # The fixer decides precision (bf16 on GPUs that support it): a config that forced
        # bf16 would ask a CPU for it.
        assert config.mixed_precision == "no" and config.num_machines == 1


def test_accelerate_config_takes_a_shipped_name_or_a_file(tmp_path: Path) -> None:
    assert accelerate_config_path("deepspeed-zero3") == ACCELERATE_CONFIGS["deepspeed-zero3"]
    assert accelerate_config_path("deepspeed_zero3") == ACCELERATE_CONFIGS["deepspeed-zero3"]
    own = tmp_path / "mine.yaml"
    own.write_text(ACCELERATE_CONFIGS["fsdp"].read_text())
    assert accelerate_config_path(str(own)) == own.resolve()
    with pytest.raises(ValueError, match="neither a shipped config"):
        accelerate_config_path("zero4")
    own.write_text("distributed_type: NOPE\n")
    with pytest.raises(ValueError, match="not an accelerate config.*NOPE"):
        accelerate_config_path(str(own))


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["--launcher", "mpi"], "argument --launcher: invalid choice: 'mpi'"),
        (["--launcher", "accelerate", "--num-processes", "0"], "argument --num-processes"),
        (["--launcher", "accelerate", "--accelerate-config", "zero4"], "--accelerate-config"),
        (["--launcher", "accelerate", "--train-precision", "fp8"], "--train-precision"),
    ],
)
def test_bad_launcher_options_are_usage_errors_naming_the_option(
    options: list[str], named: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_cli(
            "fix", "--model", "demo", "--results", "r.json", "--out", str(tmp_path / "o"), *options
        )
    assert exit_info.value.code == 2
    assert named in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_launch_options_without_the_launcher_fail_before_anything_is_read(
    tmp_path: Path,
) -> None:
    # The results file does not exist: the launcher mistake is reported first.
    for options, flag in (
        (["--num-processes", "2"], "--num-processes"),
        (["--accelerate-config", "fsdp"], "--accelerate-config"),
    ):
        code, _, err = run_cli(
            "fix",
            "--model",
            "demo",
            "--results",
            str(tmp_path / "nope.json"),
            "--out",
            str(tmp_path / "o"),
            *options,
        )
        assert code == 2 and f"{flag} needs --launcher accelerate" in err, err
        assert "nope.json" not in err
    assert not (tmp_path / "o").exists()


def test_the_launched_command_trains_with_the_same_settings(tmp_path: Path) -> None:
    config = FixConfig(
        beta=0.2,
        epochs=2,
        batch_size=6,
        lora=True,
        lora_rank=4,
        precision="fp32",
        gradient_checkpointing=False,
        sft_on_chosen=False,
    )
    command = launch_command(
        DEMO_MODEL_DIR,
        tmp_path / "pairs.jsonl",
        tmp_path / "out",
        config,
        num_processes=2,
        accelerate_config=ACCELERATE_CONFIGS["fsdp"],
    )
    assert command[1:3] == ["-m", "accelerate.commands.launch"]
    assert command[command.index("--num_processes") + 1] == "2"
    assert command[command.index("--config_file") + 1] == str(ACCELERATE_CONFIGS["fsdp"])
    module = command.index("saferegress.fixer")
    assert command[module - 1] == "-m"
    # What each rank parses is exactly the config the parent was given.
    args = fixer_main._parser().parse_args(command[module + 1 :])
    assert fix_config_from(args) == config
    assert args.use_pairs == tmp_path / "pairs.jsonl" and args.out == tmp_path / "out"
    assert (
        fix_config_from(
            fixer_main._parser().parse_args(["--model", "demo", "--use-pairs", "p", "--out", "o"])
        )
        == FixConfig()
    )


def fake_torch(cuda: bool, bf16: bool = True) -> SimpleNamespace:
    return SimpleNamespace(
        cuda=SimpleNamespace(is_available=lambda: cuda, is_bf16_supported=lambda: bf16)
    )


def test_hardware_is_chosen_as_transformers_users_expect() -> None:
    small, large = 1_000_000, 8_000_000_000
    gpu = resolve_hardware(FixConfig(), fake_torch(cuda=True), small)
    assert (gpu.device, gpu.precision, gpu.gradient_checkpointing, gpu.lora) == (
        "cuda",
        "bf16",
        True,
        False,
    )
    old_gpu = resolve_hardware(FixConfig(), fake_torch(cuda=True, bf16=False), small)
    assert old_gpu.precision == "fp32"
    cpu = resolve_hardware(FixConfig(), fake_torch(cuda=False), small)
    assert (cpu.device, cpu.precision, cpu.gradient_checkpointing, cpu.lora) == (
        "cpu",
        "fp32",
        False,
        False,
    )
    # LoRA by default above the threshold (3B parameters), and only by default.
    assert FixConfig().lora_above == 3_000_000_000
    assert resolve_hardware(FixConfig(), fake_torch(cuda=True), large).lora is True
    assert resolve_hardware(FixConfig(lora=False), fake_torch(cuda=True), large).lora is False
    assert resolve_hardware(FixConfig(lora_above=10), fake_torch(cuda=False), small).lora is True
    forced = FixConfig(device="cpu", precision="bf16", gradient_checkpointing=True)
    assert resolve_hardware(forced, fake_torch(cuda=True), small) == FixConfig(
        device="cpu", precision="bf16", gradient_checkpointing=True, lora=False
    )
    with pytest.raises(FixError, match="--train-device cuda: no CUDA"):
        resolve_hardware(FixConfig(device="cuda"), fake_torch(cuda=False), small)
    with pytest.raises(FixError, match="--train-precision fp16 needs a GPU"):
        resolve_hardware(FixConfig(precision="fp16"), fake_torch(cuda=False), small)


def test_a_failed_launch_is_a_clear_error_and_no_stale_record_passes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "empty").mkdir()  # no checkpoint in it: every rank stops at once
    (out / RECORD_NAME).write_text('{"train_loss": 0.1}')  # left by an earlier fix
    lines: list[str] = []
    pair = {
        "prompt": [{"role": "user", "content": "x"}],
        "chosen": [{"role": "assistant", "content": "no"}],
        "rejected": [{"role": "assistant", "content": "yes"}],
        "lang": "en",
        "kind": "attack",
    }
    launch = Launch("accelerate", num_processes=2)
    with pytest.raises(FixError, match="accelerate launch exited with status") as error:
        launch.train(tmp_path / "empty", [pair], out, FixConfig(), echo=lines.append)
    # Each rank's own error reached the output the parent streams, and the message.
    assert "no Hugging Face checkpoint" in "\n".join(lines)
    assert "no Hugging Face checkpoint" in str(error.value)
    assert not (out / RECORD_NAME).exists()


def test_launch_defaults_and_its_description() -> None:
    assert Launch().describe() == "in this process"
    assert Launch("accelerate", 4).describe() == "accelerate launch, 4 processes, ddp.yaml"
    assert (
        json.dumps(Launch("accelerate", 2, ACCELERATE_CONFIGS["fsdp"]).describe()).count(
            "fsdp.yaml"
        )
        == 1
    )
