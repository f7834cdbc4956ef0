"""Train on more than one process: ``saferegress fix --launcher accelerate`` re-executes the
same DPO (``fixer.train``) under ``accelerate launch``, one rank per GPU (or per CPU process on
the gloo backend), and reads back the record the main rank writes.

The distribution itself is accelerate's and TRL's (DDP, DeepSpeed ZeRO-3, FSDP); saferegress
ships ready accelerate config files for each (``accelerate_configs/``) and starts nothing of
its own. ``accelerate launch -m saferegress.fixer --model CKPT --use-pairs PAIRS --out DIR`` is
the same training step, launched by hand (on a cluster, with your own config).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..settings import FIX_LAUNCHERS
from .train import RECORD_NAME, FixConfig, FixError, train_dpo

__all__ = [
    "ACCELERATE_CONFIGS",
    "LAUNCHERS",
    "Launch",
    "accelerate_config_path",
    "default_num_processes",
    "fix_config_arguments",
    "fix_config_flag",
    "launch_command",
]

# FixConfig fields whose option name would clash with a judging or run option.
_OPTION_NAMES = {
    "batch_size": "--train-batch-size",
    "device": "--train-device",
    "precision": "--train-precision",
}


def fix_config_flag(field: str) -> str:
    """The command-line flag of the ``FixConfig`` field ``field`` (``saferegress fix`` and a
    launched rank take the same flags)."""
    return _OPTION_NAMES.get(field, "--" + field.replace("_", "-"))


def fix_config_arguments(config: FixConfig) -> list[str]:
    """The command-line flags that give ``config`` (what a launched rank is started with)."""
    argv: list[str] = []
    for item in dataclasses.fields(FixConfig):
        flag = fix_config_flag(item.name)
        value = getattr(config, item.name)
        if value is None:
            continue
        if isinstance(value, bool):
            argv.append(flag if value else "--no-" + flag[2:])
        else:
            argv += [flag, str(value)]
    return argv


#: The options table declares them (settings stays free of fixer imports).
LAUNCHERS = FIX_LAUNCHERS
_CONFIG_DIR = Path(__file__).parent / "accelerate_configs"
#: The accelerate configs shipped with saferegress, by the name ``--accelerate-config`` takes.
ACCELERATE_CONFIGS = {
    "ddp": _CONFIG_DIR / "ddp.yaml",
    "deepspeed-zero3": _CONFIG_DIR / "deepspeed_zero3.yaml",
    "fsdp": _CONFIG_DIR / "fsdp.yaml",
}

Echo = Callable[[str], None]


def accelerate_config_path(text: str) -> Path:
    """A shipped config's name (``ddp``, ``deepspeed-zero3``, ``fsdp``) or the path of an
    accelerate config file, checked with accelerate's own loader."""
    name = text.strip()
    path = ACCELERATE_CONFIGS.get(name.lower().replace("_", "-"))
    if path is None:
        path = Path(name).expanduser()
        if not path.is_file():
            raise ValueError(
                f"{name!r} is neither a shipped config ({', '.join(ACCELERATE_CONFIGS)}) "
                "nor an accelerate config file"
            )
    try:
        from accelerate.commands.config.config_args import load_config_from_file
    except ImportError:
        raise ValueError("accelerate is not installed (pip install 'saferegress[fix]')") from None
    try:
        load_config_from_file(str(path))
    except Exception as exc:  # accelerate raises whatever yaml and its dataclasses raise
        raise ValueError(
            f"{path}: not an accelerate config ({' '.join(str(exc).split())})"
        ) from None
    return path.resolve()


def default_num_processes() -> int:
    """One process per visible GPU (accelerate's own default), 1 without GPUs."""
    try:
        import torch
    except ImportError:
        return 1
    return max(1, torch.cuda.device_count())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def launch_command(
    base: Path,
    pairs_file: Path,
    out: Path,
    config: FixConfig,
    *,
    num_processes: int,
    accelerate_config: Path,
    show_progress: bool = False,
) -> list[str]:
    """``python -m accelerate.commands.launch … -m saferegress.fixer …`` for one training."""
    return [
        sys.executable,
        "-m",
        "accelerate.commands.launch",
        "--config_file",
        str(accelerate_config),
        "--num_processes",
        str(num_processes),
        "--num_machines",
        "1",
        # A port of our own: parallel fixes (and test workers) must not meet on 29500.
        "--main_process_port",
        str(_free_port()),
        "-m",
        "saferegress.fixer",
        "--model",
        str(base),
        "--use-pairs",
        str(pairs_file),
        "--out",
        str(out),
        "--progress" if show_progress else "--no-progress",
        *fix_config_arguments(config),
    ]


@dataclass(frozen=True)
class Launch:
    """How the DPO step runs: in this process (``none``) or under ``accelerate launch`` with
    ``num_processes`` ranks and an accelerate config (default: the shipped ``ddp``)."""

    launcher: str = "none"
    num_processes: int = 1
    accelerate_config: Path | None = None

    def __post_init__(self) -> None:
        if self.launcher not in LAUNCHERS:
            raise ConfigError(
                f"--launcher must be one of {', '.join(LAUNCHERS)} (got {self.launcher!r})"
            )
        if self.num_processes < 1:
            raise ConfigError(f"--num-processes must be 1 or more (got {self.num_processes})")
        if self.launcher == "none" and (
            self.num_processes != 1 or self.accelerate_config is not None
        ):
            given = "--num-processes" if self.num_processes != 1 else "--accelerate-config"
            raise ConfigError(f"{given} needs --launcher accelerate")

    @classmethod
    def chosen(
        cls, launcher: str, num_processes: int | None, accelerate_config: Path | None
    ) -> Launch:
        """The launch a user asked for; no process count given: one per visible GPU under
        accelerate (``default_num_processes``), 1 in this process."""
        if num_processes is None:
            num_processes = default_num_processes() if launcher == "accelerate" else 1
        return cls(launcher, num_processes, accelerate_config)

    def describe(self) -> str:
        if self.launcher == "none":
            return "in this process"
        config = self.accelerate_config or ACCELERATE_CONFIGS["ddp"]
        return f"accelerate launch, {self.num_processes} processes, {config.name}"

    def train(
        self,
        base: Path,
        pairs: Sequence[Mapping[str, Any]],
        out: Path,
        config: FixConfig,
        *,
        show_progress: bool = False,
        echo: Echo | None = None,
    ) -> dict[str, Any]:
        """Train and return the record the (main) process wrote beside the checkpoint."""
        if self.launcher == "none":
            return train_dpo(base, pairs, out, config, show_progress=show_progress)
        if not pairs:
            raise FixError("no preference pairs: the run had no unsafe answers on train cases")
        echo = echo or _to_stderr
        out = Path(out).resolve()
        record_path = out / RECORD_NAME
        # A record left by an earlier fix must not pass for this one's.
        record_path.unlink(missing_ok=True)
        with tempfile.TemporaryDirectory(prefix="saferegress-launch-") as scratch:
            pairs_file = Path(scratch) / "pairs.jsonl"
            pairs_file.write_text(
                "".join(json.dumps(dict(p), ensure_ascii=False) + "\n" for p in pairs),
                encoding="utf-8",
            )
            command = launch_command(
                Path(base),
                pairs_file,
                out,
                config,
                num_processes=self.num_processes,
                accelerate_config=self.accelerate_config or ACCELERATE_CONFIGS["ddp"],
                show_progress=show_progress,
            )
            code, tail = _run_streaming(command, echo, show_progress)
        if code != 0:
            raise FixError(
                f"accelerate launch exited with status {code} before the fixed checkpoint "
                f"was written:\n" + "\n".join(_rank_errors(tail))
            )
        try:
            return json.loads(record_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise FixError(
                f"accelerate launch finished but the main process wrote no record "
                f"({record_path}: {exc})"
            ) from None


#: A rank's own error line: saferegress's, or the last line of a Python traceback.
_RANK_ERROR = re.compile(r"^(saferegress: error: |(\[rank\d+\]: )?[\w.]*(Error|Exception): )")


def _rank_errors(lines: Sequence[str]) -> list[str]:
    """The ranks' error lines (once each), else the last lines: torchrun's own report
    around them says only that a child failed."""
    found = list(
        dict.fromkeys(
            line for line in lines if _RANK_ERROR.match(line) and "ChildFailedError" not in line
        )
    )
    return found or list(lines)[-15:]


def _to_stderr(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _run_streaming(
    command: list[str], echo: Echo, show_progress: bool = False
) -> tuple[int, list[str]]:
    """Run ``command``, passing each line of its output to ``echo`` as it comes; the exit
    status and the last lines (for the error message)."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    if not show_progress:
        # TRL's reference log-prob pass draws a bar unless tqdm is off.
        env["TQDM_DISABLE"] = "1"
    tail: deque[str] = deque(maxlen=200)
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        env=env,
    ) as proc:
        assert proc.stdout is not None
        try:
            for line in proc.stdout:
                line = line.rstrip("\n")
                tail.append(line)
                echo(line)
            code = proc.wait()
        except BaseException:
            # Interrupted: the ranks must not outlive the command that started them.
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
            raise
    return code, list(tail)
