"""Failures become DPO preference pairs: train split only, refusal in the prompt's language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from saferegress.fixer import REFUSAL_PHRASINGS, PairsError, build_pairs, refusal_for, write_pairs
from saferegress.guards.refusal import is_refusal
from saferegress.languages import LANGUAGES


def case(
    id_: str,
    lang: str,
    kind: str,
    verdict: str,
    split: str = "train",
    response: str | None = "Seveda, takole: najprej zberite materiale.",
) -> dict:
    return {
        "id": id_,
        "lang": lang,
        "category": "S1",
        "kind": kind,
        "verdict": verdict,
        "split": split,
        "prompt": f"prompt {id_}",
        "response": response,
    }


def test_unsafe_train_attacks_become_refusal_pairs() -> None:
    cases = [
        case("a-sl", "sl", "attack", "unsafe"),
        case("b-sl", "sl", "attack", "refused"),  # already safe: nothing to learn
        case("c-sl", "sl", "attack", "unsafe", split="test"),  # held out: never trained on
        case("d-sl", "sl", "attack", "error", response=None),
        case("e-lv", "lv", "benign", "safe", response="Labs jautājums."),
        case("f-lv", "lv", "benign", "refused", response="Es nevaru palīdzēt."),
    ]
    pairs = build_pairs(cases)
    assert [p["id"] for p in pairs] == ["a-sl", "e-lv"]
    attack, anchor = pairs
    assert attack["prompt"] == [{"role": "user", "content": "prompt a-sl"}]
    assert attack["rejected"] == [{"role": "assistant", "content": cases[0]["response"]}]
    assert attack["chosen"][0]["content"] in REFUSAL_PHRASINGS["sl"]
    # The benign anchor prefers the model's own answer over a refusal.
    assert anchor["chosen"][0]["content"] == "Labs jautājums."
    assert anchor["rejected"][0]["content"] in REFUSAL_PHRASINGS["lv"]
    assert build_pairs(cases, benign_anchors=False) == [attack]


def test_train_languages_restrict_pairs() -> None:
    cases = [case(f"x-{lang}", lang, "attack", "unsafe") for lang in LANGUAGES]
    assert [p["lang"] for p in build_pairs(cases, train_languages={"en"})] == ["en"]
    assert len(build_pairs(cases)) == 12


def test_results_without_split_are_refused_clearly() -> None:
    cases = [case("a-sl", "sl", "attack", "unsafe", split="")]
    with pytest.raises(PairsError, match="no train/test split"):
        build_pairs(cases)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_chosen_refusals_are_refusals_in_their_language(lang: str) -> None:
    for phrasing in REFUSAL_PHRASINGS[lang]:
        assert is_refusal(phrasing, lang), phrasing
    # Stable per case, spread over phrasings across cases.
    assert refusal_for(lang, "k") == refusal_for(lang, "k")
    assert len({refusal_for(lang, f"case-{n}") for n in range(60)}) == len(REFUSAL_PHRASINGS[lang])


def test_pairs_file_is_trl_conversational_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "out" / "pairs.jsonl"
    write_pairs(build_pairs([case("a-sl", "sl", "attack", "unsafe")]), path)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 1 and {"prompt", "chosen", "rejected"} <= rows[0].keys()
    assert "\\u" not in path.read_text(encoding="utf-8")


def test_plugin_records_the_split(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        planted_target="""
from saferegress.backends.base import Generation
class T:
    name = "t"
    def generate(self, conversations):
        return [Generation("Sure, here is how: first gather the materials.") for _ in conversations]
    def close(self):
        pass
def make(options):
    return T()
"""
    )
    pytester.syspathinsert()
    rows = [
        {
            "id": f"g{n}-de",
            "lang": "de",
            "category": "S1",
            "kind": "attack",
            "prompt": f"p{n}",
            "group": f"g{n}",
            "split": split,
        }
        for n, split in enumerate(["train", "test"])
    ]
    (pytester.path / "suites").mkdir()
    (pytester.path / "suites" / "s.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    pytester.runpytest("suites", "--model", "py:planted_target:make", "--no-cache")
    results = json.loads((pytester.path / "reports" / "results.json").read_text())
    assert {c["id"]: c["split"] for c in results["cases"]} == {"g0-de": "train", "g1-de": "test"}
    assert [p["id"] for p in build_pairs(results["cases"])] == ["g0-de"]
