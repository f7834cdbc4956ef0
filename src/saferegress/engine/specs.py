"""The model-spec grammar, parsed in one place.

A spec names a model the way ``--model``, a guard (``llama-guard:TARGET``), ``--adjudicator``
and ``--quality-judge`` take it::

    demo                 the tiny checkpoint shipped with saferegress (run with transformers)
    PATH                 an existing checkpoint directory (the same as hf:PATH)
    hf:PATH              a local Hugging Face checkpoint, in process with transformers
    vllm:PATH            a local checkpoint through vLLM's offline engine
    openai:MODEL[@URL]   an OpenAI-compatible endpoint; without @URL: the base_url option,
                         then OPENAI_BASE_URL, then https://api.openai.com/v1. URL may list
                         replicas of the model, comma separated (@http://a/v1,http://b/v1)
    py:MODULE:ATTR       a factory or class, called with the TargetOptions

The kinds (``hf``, ``vllm``, ``openai``, ``py``) are those the backends' registry knows
(``saferegress.backends.registry``, entry points); this module only reads them. A
``ModelSpec`` never holds a secret in what it shows: ``endpoint`` and ``text`` are the public
forms (no user:password, no query string); the URL as written, credentials included, is kept
apart for opening the connection only and is left out of ``repr`` and equality.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import saferegress
from saferegress.errors import ConfigError

__all__ = [
    "DEFAULT_OPENAI_URL",
    "DEMO_MODEL_DIR",
    "LOCAL_KINDS",
    "ModelSpec",
    "openai_base_url",
    "parse_model_spec",
    "public_spec",
    "public_url",
    "split_endpoint",
]

#: The tiny checkpoint shipped with the package (built by ``scripts/build_demo_model.py``),
#: what the spec ``demo`` names.
DEMO_MODEL_DIR = Path(saferegress.__file__).parent / "demo_model"

#: Kinds whose spec names a checkpoint directory (their fingerprint hashes its weights).
LOCAL_KINDS = frozenset({"hf", "vllm"})
#: Where an ``openai:`` spec without ``@URL`` goes when neither an option nor the environment
#: names an endpoint (the official client's default).
DEFAULT_OPENAI_URL = "https://api.openai.com/v1"

_URL_SCHEMES = ("@http://", "@https://")


def public_url(url: str) -> str:
    """``url`` without user:password and without a query string (either may carry a secret).

    A comma-separated replica list gives each URL in public form, sorted and without repeats:
    the same model served by several servers is one model whatever order they are listed in.
    """
    if "," in url:
        return ",".join(sorted({_public_one(part) for part in url.split(",") if part.strip()}))
    return _public_one(url)


def _public_one(url: str) -> str:
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


def openai_base_url(explicit: str | None = None) -> str:
    """``explicit``, else ``OPENAI_BASE_URL``, else the default: the official client's rule."""
    return explicit or os.environ.get("OPENAI_BASE_URL") or DEFAULT_OPENAI_URL


def split_endpoint(spec: str) -> tuple[str, str | None]:
    """``openai:NAME@http://host/v1`` → (``openai:NAME``, ``http://host/v1``); no URL → None.

    Works on any spec text, guard specs included (``polyguard:openai:NAME@URL``)."""
    for scheme in _URL_SCHEMES:
        head, sep, tail = spec.rpartition(scheme)
        if sep:
            return head, scheme[1:] + tail
    return spec, None


def public_spec(spec: str | None) -> str | None:
    """``spec`` fit for results and logs: an ``@URL`` loses credentials and query string."""
    if spec is None:
        return None
    head, url = split_endpoint(spec)
    return spec if url is None else f"{head}@{public_url(url)}"


@dataclass(frozen=True)
class ModelSpec:
    """One parsed model spec.

    ``kind``: the backend (``hf``, ``vllm``, ``openai``, ``py``, or a kind a backend added).
    ``name``: the checkpoint path for local kinds (as written, ``~`` expanded), the model name for
    ``openai``, ``MODULE:ATTR`` for ``py``, the rest of the spec for any other kind.
    ``endpoint``: for ``openai:NAME@URL``, the URL in public form; None without ``@URL``.
    ``text``: the spec as written, in public form (``demo`` stays ``demo``).
    """

    kind: str
    name: str
    endpoint: str | None = None
    text: str = field(default="", compare=False)
    #: The ``@URL`` as written, credentials included: for connecting, never for showing.
    url: str | None = field(default=None, repr=False, compare=False)

    def __str__(self) -> str:
        return self.text or f"{self.kind}:{self.name}"

    @property
    def path(self) -> Path | None:
        """The checkpoint directory of a local kind; None for endpoints and custom targets."""
        return Path(self.name) if self.kind in LOCAL_KINDS else None

    def base_url(self, option: str | None = None) -> str:
        """The URL an ``openai`` spec connects to (credentials included, if written): its own
        ``@URL``, else ``option`` (``--base-url``), else ``OPENAI_BASE_URL``, else the default."""
        return openai_base_url(self.url or option)


def parse_model_spec(text: str) -> ModelSpec:
    """Parse a model spec; a ``ConfigError`` names the part that is wrong and lists the forms.

    Pure syntax, except for two questions only the file system answers: a bare word is a
    checkpoint only if it is a directory, and ``demo`` is wherever the shipped model lives.
    """
    from saferegress.backends.registry import target_kinds, target_spec_help

    def bad(why: str) -> ConfigError:
        return ConfigError(
            f"unknown target spec {shown!r} ({why}); accepted forms:\n{target_spec_help()}"
        )

    spec = text.strip()
    shown = public_spec(text) or ""
    if spec == "demo":
        return ModelSpec("hf", str(DEMO_MODEL_DIR), text="demo")
    prefix, sep, rest = spec.partition(":")
    if sep and prefix in target_kinds():
        rest = rest.strip()
        if not rest:
            raise ConfigError(
                f"target spec {shown!r} is incomplete: nothing after {prefix + ':'!r}; "
                f"accepted forms:\n{target_spec_help()}"
            )
        return _parse_kind(prefix, rest, shown)
    if spec and Path(spec).expanduser().is_dir():
        return ModelSpec("hf", str(Path(spec).expanduser()), text=spec)
    if not spec:
        raise bad("empty")
    if sep and prefix.replace("-", "").replace("_", "").isalnum():
        raise bad(f"{prefix!r} is not a target kind")
    raise bad("not a directory, and no KIND: prefix")


def _parse_kind(kind: str, rest: str, shown: str) -> ModelSpec:
    head, url = split_endpoint(rest)
    if url is not None and kind != "openai":
        raise ConfigError(
            f"target spec {shown!r}: an @URL endpoint is for openai: targets only "
            f"(got {public_url(url)!r} after a {kind}: spec)"
        )
    if kind in LOCAL_KINDS:
        return ModelSpec(kind, str(Path(rest).expanduser()), text=shown)
    if kind == "openai":
        if not head.strip():
            raise ConfigError(f"target spec {shown!r} names no model before the @URL")
        endpoint = None
        if url is not None:
            for one in url.split(","):
                if not urlsplit(one.strip()).hostname:
                    raise ConfigError(
                        f"target spec {shown!r}: the endpoint {public_url(one)!r} has no host"
                    )
            endpoint = public_url(url)
        return ModelSpec("openai", head.strip(), endpoint, text=shown, url=url)
    if kind == "py":
        module, _, attr = rest.partition(":")
        if not module or not attr:
            raise ConfigError(f"target spec {shown!r} must look like py:MODULE:ATTR")
    return ModelSpec(kind, rest, text=shown)
