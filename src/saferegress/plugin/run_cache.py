"""Where this run's answer/verdict cache lies (``--cache-dir``, ``--no-cache``) and how the
plugin opens it: the worker to batch through it, the controller to check it before any work
and to cache the languages it identifies."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

from saferegress.errors import SafeRegressError

__all__ = ["cache_path", "open_cache"]


def cache_path(config: pytest.Config) -> Path | None:
    """The cache folder, or None with ``--no-cache``."""
    from saferegress.plugin.stash import SETTINGS_KEY

    settings = config.stash[SETTINGS_KEY]
    if settings.no_cache:
        return None
    directory = settings.cache_dir
    return (
        config.invocation_params.dir / directory
        if directory
        else config.rootpath / ".saferegress-cache"
    )


def open_cache(
    config: pytest.Config, model: str | None = None, base_url: str | None = None
) -> tuple[Any, str | None]:
    """The cache and the model's fingerprint (``model=None``: the cache alone). A damaged cache
    raises its ``SafeRegressError``; one that cannot be opened at all (a read-only tree) is
    warned about and the run goes uncached."""
    from saferegress.engine.cache import ResultCache, spec_fingerprint

    path = cache_path(config)
    if path is None:  # --no-cache
        return None, None
    try:
        cache = ResultCache(path)
    except SafeRegressError:  # a damaged cache: stop with its message, never half-read it
        raise
    except Exception as exc:  # OSError, sqlite3.Error (a read-only tree): run uncached
        warnings.warn(
            f"saferegress: cache at {path} unusable ({exc}); running without it", stacklevel=1
        )
        return None, None
    if model is None:
        return cache, None
    return cache, spec_fingerprint(model, base_url)
