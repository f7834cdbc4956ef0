"""The progress bar shows on a terminal, and stays out of quiet runs, CI logs and workers."""

from __future__ import annotations

import io
import sys
import time
from types import SimpleNamespace

import pytest

from saferegress.engine.progress import progress_bar_factory


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def fake_config(verbose: int = 0, **extra: object) -> SimpleNamespace:
    return SimpleNamespace(
        option=SimpleNamespace(verbose=verbose),
        pluginmanager=SimpleNamespace(get_plugin=lambda name: None),
        **extra,
    )


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Terminal:
    """A stand-in terminal; a test must install it itself (``sys.stderr = terminal``), because
    pytest's output capture puts its own stderr back between setup and call."""
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("SAFEREGRESS_NO_PROGRESS", raising=False)
    monkeypatch.setattr(sys, "stderr", sys.stderr)  # restored after the test
    return Terminal()


def test_a_terminal_gets_a_bar_with_rate_and_eta(terminal: Terminal) -> None:
    sys.stderr = terminal
    make = progress_bar_factory(fake_config())  # type: ignore[arg-type]
    assert make is not None
    with make(1000, "generating") as bar:
        time.sleep(1.1)  # bars appear only on work longer than a second
        bar.update(400)
    shown = terminal.getvalue()
    assert "saferegress generating" in shown and "400/1000" in shown
    assert "cases/s" in shown and "<" in shown  # rate, and the ETA after "<"


@pytest.mark.parametrize(
    "config, env",
    [
        (fake_config(verbose=-1), {}),  # -q
        (fake_config(), {"CI": "true"}),  # CI logs
        (fake_config(workerinput={"workerid": "gw0"}), {}),  # xdist worker
    ],
)
def test_quiet_runs_get_no_bar(
    terminal: Terminal,
    monkeypatch: pytest.MonkeyPatch,
    config: SimpleNamespace,
    env: dict[str, str],
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    sys.stderr = terminal
    assert progress_bar_factory(config) is None  # type: ignore[arg-type]


def test_a_pipe_gets_no_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert progress_bar_factory(fake_config()) is None  # type: ignore[arg-type]
