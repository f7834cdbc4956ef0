"""What every model-based guard shares: a target to run on, one batched call, a strict parser.

A model-based guard is a prompt format and an output parser around an ordinary target
(``saferegress.backends``), so a guard checkpoint runs wherever a model under test can: in
process with transformers (``hf:PATH`` or a bare path), on an OpenAI-compatible endpoint
(``openai:NAME``, optionally ``openai:NAME@URL`` for an endpoint of its own), or on any other
backend the registry knows (``vllm:``).

The guard's endpoint is never the model's ``--base-url``: the model under test and its judge are
usually served apart. Without ``@URL`` an ``openai:`` guard uses ``OPENAI_BASE_URL``, as the
official client does.

The texts a guard judges are untrusted: a chat-template control token inside them (``<|im_end|>``,
``<|eot_id|>``, ``[INST]`` ...) would be encoded as the real token by the guard's tokenizer and end
the judged turn early or open a fake one. ``neutralize`` breaks every such token with an invisible
WORD JOINER (U+2060) before anything is sent, in process and to a server alike.

Fail closed: a generation that failed (timeout, 5xx after retries, an exception in a batch) and
an output the parser rejects both become ``Judgement.failed``: an ``error`` verdict, never safe.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cached_property

from ..backends.base import Message, Target, TargetOptions
from ..engine.specs import public_spec, split_endpoint
from ..errors import GuardError, SafeRegressError
from .base import JudgeInput, Judgement

# public_spec and split_endpoint live in engine/specs.py (the spec grammar); they are listed here
# too because guard code and older callers import them from this module.
__all__ = ["ServedGuard", "neutralize", "public_spec", "split_endpoint", "target_for_guard"]

#: Raw guard output kept on a judgement (and so in error messages) is cut to this many chars.
RAW_CHARS = 500

#: Invisible, and no tokenizer's control token contains it: inserted after a control token's
#: first character, the token can no longer be matched as one.
WORD_JOINER = "\u2060"

#: Control tokens of the common chat-model families, for guards whose tokenizer is out of sight
#: (behind a server): Llama 3 / ChatML / Qwen / Phi ``<|...|>``, DeepSeek ``<｜...｜>``, Llama 2 /
#: Mistral ``<s>`` ``[INST]`` ``<<SYS>>``, Gemma ``<start_of_turn>``.
_CONTROL_TOKENS = re.compile(
    r"<\|[^<>|\s]{1,40}\|>|<\uff5c[^<>\uff5c\s]{1,40}\uff5c>|</?s>|\[/?INST\]|<</?SYS>>"
    r"|<(?:start_of_turn|end_of_turn|bos|eos|pad|unk|mask)>"
)


def _break(token: str) -> str:
    return token[0] + WORD_JOINER + token[1:]


def neutralize(text: str, special_tokens: Sequence[str] = ()) -> str:
    """``text`` with every control token (the known families, and ``special_tokens``: those of
    the guard's own tokenizer) broken by a WORD JOINER, so no tokenizer reads it as one."""
    # Until nothing matches: breaking one token must not leave another one whole. It ends: a
    # broken token's first character is followed by U+2060, which no token has second, so each
    # pass uses up at least one position a token could start at.
    while True:
        before = text
        text = _CONTROL_TOKENS.sub(lambda m: _break(m.group(0)), text)
        for token in special_tokens:
            if token in text:
                text = text.replace(token, _break(token))
        if text == before:
            return text


def _tokenizer_special_tokens(target: Target) -> tuple[str, ...]:
    """The special tokens of an in-process target's tokenizer (hf, vllm); none for a server."""
    tokenizer = getattr(target, "_tokenizer", None)
    if tokenizer is None:
        return ()
    tokens = set(getattr(tokenizer, "all_special_tokens", ()) or ())
    for added in (getattr(tokenizer, "added_tokens_decoder", None) or {}).values():
        if getattr(added, "special", False):
            tokens.add(str(added.content))
    # Longest first: breaking ``<|im_end|>`` before a shorter token it contains.
    return tuple(
        sorted((t for t in tokens if len(t) > 1 and WORD_JOINER not in t), key=len, reverse=True)
    )


def target_for_guard(kind: str, spec: str, options: TargetOptions, max_new_tokens: int) -> Target:
    """Load the target a guard spec names, with the guard's own generation settings."""
    from ..backends import load_target

    if not spec.strip():
        raise GuardError(
            f"guard {kind!r} needs a model: {kind}:PATH, {kind}:hf:PATH, "
            f"{kind}:openai:NAME[@URL] or {kind}:vllm:PATH"
        )
    # base_url=None: without @URL a guard uses OPENAI_BASE_URL, never the model's --base-url
    # (load_target gives an @URL spec its own endpoint).
    guard_options = replace(options, base_url=None, max_new_tokens=max_new_tokens)
    try:
        return load_target(spec.strip(), guard_options)
    except SafeRegressError as exc:
        raise GuardError(f"guard {kind}:{public_spec(spec)}: {exc}") from exc


class ServedGuard:
    """A guard that asks a model: ``conversation`` builds its input, ``parse`` reads its answer.

    Subclasses set ``kind``, ``prompt_version``, ``languages`` and ``max_new_tokens``.
    """

    kind: str = ""
    #: Bumped whenever the prompt or the parser changes, so cached verdicts are not reused.
    prompt_version: str = ""
    languages: frozenset[str] | None = None
    #: Whether the guard can tell a refusal (over-refusal of benign prompts needs it).
    judges_refusal: bool = True
    max_new_tokens: int = 32

    def __init__(
        self, spec: str, options: TargetOptions | None = None, target: Target | None = None
    ) -> None:
        self.target = target or target_for_guard(
            self.kind, spec, options or TargetOptions(), self.max_new_tokens
        )
        self.name = f"{self.kind}:{self.target.name}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"

    @property
    def fingerprint(self) -> str:
        model = getattr(self.target, "fingerprint", None) or self.target.name
        return hashlib.sha256(f"{self.prompt_version}\0{model}".encode()).hexdigest()

    def conversation(self, item: JudgeInput) -> list[Message]:
        """The guard's prompt for ``item``, texts as given (subclasses; callable unbound)."""
        raise NotImplementedError

    @cached_property
    def special_tokens(self) -> tuple[str, ...]:
        return _tokenizer_special_tokens(self.target)

    def messages(self, item: JudgeInput) -> list[Message]:
        """What is sent for ``item``: ``conversation`` with every control token neutralized."""
        return [
            {**message, "content": neutralize(message["content"], self.special_tokens)}
            for message in self.conversation(item)
        ]

    parse: Callable[[str], Judgement]

    def judge(self, items: Sequence[JudgeInput]) -> list[Judgement]:
        if not items:
            return []
        # One generate call for the whole batch: the backend batches or fans out requests.
        generations = self.target.generate([self.messages(item) for item in items])
        if len(generations) != len(items):
            return [
                Judgement.failed(
                    f"{self.name} returned {len(generations)} answers for {len(items)} inputs"
                )
            ] * len(items)
        judgements = []
        for generation in generations:
            if generation.text is None:
                judgements.append(Judgement.failed(f"{self.kind}: {generation.error}"))
            else:
                judgements.append(self.parse(generation.text))
        return judgements

    def close(self) -> None:
        self.target.close()


def failed(kind: str, why: str, text: str) -> Judgement:
    """An unparseable answer: an error verdict that carries (a cut of) what the guard said."""
    return Judgement.failed(f"{kind}: unparseable output ({why})", raw=text[:RAW_CHARS])
