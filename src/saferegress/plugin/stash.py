"""What saferegress keeps in ``config.stash`` (one run per config, so nested ``pytester`` runs
keep their own): the run's settings and this process's worker. A leaf: every plugin module may
import it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from saferegress.plugin.worker import Worker
    from saferegress.settings import Settings

__all__ = ["LOW_FIDELITY_KEY", "LOW_FIDELITY_OUTPUT", "SETTINGS_KEY", "WORKER_KEY"]

SETTINGS_KEY: pytest.StashKey[Settings] = pytest.StashKey()
#: The object that runs this process's items (absent on an xdist controller).
WORKER_KEY: pytest.StashKey[Worker] = pytest.StashKey()
#: Ids of the cases deselected as low-fidelity machine translations in this process.
LOW_FIDELITY_KEY: pytest.StashKey[list[str]] = pytest.StashKey()
#: How an xdist worker hands them to the controller (``config.workeroutput``).
LOW_FIDELITY_OUTPUT = "saferegress_low_fidelity"
