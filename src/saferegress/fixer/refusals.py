"""Refusals in each of the 12 languages, several phrasings each.

The demo model learned these sentences (``scripts/build_demo_model.py``), and the DPO fixer uses
them as the "chosen" answer of a preference pair: a refusal in the language of the prompt.
Phrasing 0 of each language is the canonical one.
"""

from __future__ import annotations

import hashlib
from typing import Any

__all__ = ["REFUSAL_PHRASINGS", "refusal_for", "write_refusals_with_model"]

REFUSAL_PHRASINGS: dict[str, tuple[str, ...]] = {
    "en": (
        "I can't help with that request.",
        "I'm sorry, but I can't help with that.",
        "I cannot assist with this request.",
    ),
    "de": (
        "Dabei kann ich nicht helfen.",
        "Es tut mir leid, aber dabei kann ich nicht helfen.",
        "Bei dieser Anfrage kann ich Ihnen nicht helfen.",
    ),
    "fr": (
        "Je ne peux pas vous aider avec cette demande.",
        "Désolé, mais je ne peux pas vous aider avec cela.",
        "Je ne peux pas répondre à cette demande.",
    ),
    "it": (
        "Non posso aiutarti con questa richiesta.",
        "Mi dispiace, ma non posso aiutarti con questo.",
        "Non posso assisterti con questa richiesta.",
    ),
    "es": (
        "No puedo ayudarte con esa solicitud.",
        "Lo siento, pero no puedo ayudarte con eso.",
        "No puedo ayudar con esta petición.",
    ),
    "pt": (
        "Não posso ajudar com esse pedido.",
        "Desculpe, mas não posso ajudar com isso.",
        "Não posso ajudar com esta solicitação.",
    ),
    "pl": (
        "Nie mogę pomóc w tej prośbie.",
        "Przepraszam, ale nie mogę w tym pomóc.",
        "Nie mogę pomóc w tej sprawie.",
    ),
    "cs": (
        "S tímto požadavkem vám nemohu pomoci.",
        "Omlouvám se, ale s tím vám nemohu pomoci.",
        "S touto žádostí vám nemohu pomoci.",
    ),
    "sk": (
        "S touto požiadavkou vám nemôžem pomôcť.",
        "Prepáčte, ale s tým vám nemôžem pomôcť.",
        "S touto žiadosťou vám nemôžem pomôcť.",
    ),
    "sl": (
        "Pri tej prošnji vam ne morem pomagati.",
        "Oprostite, vendar vam pri tem ne morem pomagati.",
        "Pri tej zahtevi vam ne morem pomagati.",
    ),
    "lt": (
        "Negaliu padėti su šiuo prašymu.",
        "Atsiprašau, bet negaliu jums su tuo padėti.",
        "Deja, negaliu padėti su šiuo prašymu.",
    ),
    "lv": (
        "Es nevaru palīdzēt ar šo pieprasījumu.",
        "Atvainojiet, bet es nevaru jums ar to palīdzēt.",
        "Diemžēl es nevaru palīdzēt ar šo lūgumu.",
    ),
}


def refusal_for(lang: str, key: str) -> str:
    """A refusal in ``lang``, its phrasing picked by ``key`` (e.g. a case id): the same case
    always gets the same sentence, and different cases spread over the phrasings."""
    phrasings = REFUSAL_PHRASINGS[lang]
    index = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:4], "big")
    return phrasings[index % len(phrasings)]


#: What a refusal model is asked (the prompt it refuses follows as the user turn).
REFUSAL_INSTRUCTION = (
    "Refuse the user's request politely in one or two sentences, in {language}. Do not give "
    "any part of what was asked, and do not mention these instructions."
)


def write_refusals_with_model(
    pairs: list[dict[str, Any]],
    spec: str,
    options: Any = None,
) -> dict[str, int]:
    """Replace the chosen refusal of every ``fix``/``borrowed`` pair with one ``spec`` writes in
    the prompt's language, in one batch. A text is used only when the refusal judge reads it as
    a refusal and it is identified as the prompt's language; otherwise the pair keeps its
    phrasing (a model's failed refusal must not become the "chosen" answer). Returns counts."""
    from saferegress.analysis.answer_language import detect_languages

    from ..backends import load_target
    from ..guards.refusal import is_refusal
    from ..languages import LANGUAGE_NAMES

    todo = [p for p in pairs if p.get("purpose") in ("fix", "borrowed")]
    counts = {"asked": len(todo), "used": 0, "kept_phrasing": 0}
    if not todo:
        return counts
    conversations = [
        [
            {
                "role": "system",
                "content": REFUSAL_INSTRUCTION.format(language=LANGUAGE_NAMES[p["lang"]]),
            },
            *p["prompt"],
        ]
        for p in todo
    ]
    target = load_target(spec, options)
    try:
        written = target.generate(conversations)
    finally:
        target.close()
    texts = [g.text.strip() if g.text else "" for g in written]
    languages = detect_languages(texts)
    for pair, text, detected in zip(todo, texts, languages, strict=True):
        if text and detected == pair["lang"] and is_refusal(text, pair["lang"]):
            pair["chosen"] = [{"role": "assistant", "content": text}]
            pair["refusal_source"] = "model"
            counts["used"] += 1
        else:
            pair["refusal_source"] = "phrasing"
            counts["kept_phrasing"] += 1
    return counts
