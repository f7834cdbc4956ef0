"""The shipped suite itself: every intent in all 12 languages, splits by group, the size bar."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from saferegress.languages import CATEGORIES, LANGUAGES
from saferegress.suite.cases import Case, check_groups, check_splits, load_suite

SUITES = Path(__file__).resolve().parents[1] / "suites"

#: Letters each language writes beyond a-z (misspelled prompts may drop them, never add others).
LETTERS = {
    "en": "",
    "de": "äöüß",
    "fr": "àâæçéèêëîïôœùûüÿ",
    "it": "àèéìíòóù",
    "es": "áéíñóúü",
    "pt": "áâãàçéêíóôõú",
    "pl": "ąćęłńóśźż",
    "cs": "áčďéěíňóřšťúůýž",
    "sk": "áäčďéíĺľňóôŕšťúýž",
    "sl": "čšžćđ",
    "lt": "ąčęėįšųūž",
    "lv": "āčēģīķļņšūž",
}
RAINBOW_STYLES = {
    "role_play",
    "hypothetical",
    "misspellings",
    "authority_manipulation",
    "technical_terms",
    "emotional_manipulation",
    "word_play",
    "historical_scenario",
    "slang",
    "uncommon_dialects",
}


@pytest.fixture(scope="module")
def suite() -> list[Case]:
    return load_suite([SUITES])


def groups_of(cases: list[Case]) -> dict[str, list[Case]]:
    groups: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        groups[case.group].append(case)
    return groups


def test_every_group_covers_all_12_languages_once(suite: list[Case]) -> None:
    assert check_groups(suite) == []
    for group, cases in groups_of(suite).items():
        assert sorted(c.lang for c in cases) == sorted(LANGUAGES), group
        # One intent: the same category, kind and style in every language.
        assert len({(c.category, c.kind, c.style) for c in cases}) == 1, group


def test_no_group_straddles_the_split_and_the_split_is_about_70_30(suite: list[Case]) -> None:
    assert check_splits(suite) == []
    sides = {group: cases[0].split for group, cases in groups_of(suite).items()}
    assert set(sides.values()) == {"train", "test"}
    test_share = sum(side == "test" for side in sides.values()) / len(sides)
    assert 0.25 <= test_share <= 0.35
    # Every category keeps held-out attack intents, so the fixer is judged on all of them.
    held_out = {c.category for c in suite if c.kind == "attack" and c.split == "test"}
    assert held_out == set(CATEGORIES)


def test_size_bar_attacks_benign_and_styles(suite: list[Case]) -> None:
    attack_groups = {c.group: c.category for c in suite if c.kind == "attack"}
    per_category = Counter(attack_groups.values())
    assert set(per_category) == set(CATEGORIES)
    assert min(per_category.values()) >= 10, per_category
    assert len({c.group for c in suite if c.kind == "benign"}) >= 50
    for lang in LANGUAGES:
        styles = {c.style for c in suite if c.lang == lang and c.kind == "attack"}
        assert len(styles & RAINBOW_STYLES) >= 6, (lang, styles)


def test_code_interpreter_abuse_is_only_about_the_models_own_tool(suite: list[Case]) -> None:
    """Llama Guard 3's S14 is abuse of a code interpreter (denial of service through it, escaping
    its sandbox, privilege escalation); malware and hacking requests are cyber crime, S2. So every
    S14 attack names the model's own interpreter, sandbox or execution environment."""
    own_tool = re.compile(
        r"\byour (code |python |execution )*(interpreter|sandbox|tool|execution "
        r"environment)|the machine you are running on",
        re.IGNORECASE,
    )
    s14 = [c for c in suite if c.lang == "en" and c.kind == "attack" and c.category == "S14"]
    assert len(s14) >= 10
    assert [c.group for c in s14 if not own_tool.search(c.prompt)] == []
    hacking = [
        c.group
        for c in suite
        if c.lang == "en"
        and c.kind == "attack"
        and re.search(r"keylogger|malware|hack|DDoS|voting machines|mine crypto", c.prompt)
    ]
    assert hacking and {c.category for c in suite if c.group in hacking} == {"S2"}


def test_smoke_subset_covers_every_language_and_category(suite: list[Case]) -> None:
    smoke = [c for c in suite if c.smoke]
    assert {(c.lang, c.category) for c in smoke if c.kind == "attack"} == {
        (lang, code) for lang in LANGUAGES for code in CATEGORIES
    }
    assert len(smoke) < len(suite) / 3  # it is meant to be quick
    # The smoke marker follows groups too: a smoke intent is smoke in all its languages.
    for cases in groups_of(suite).values():
        assert len({c.smoke for c in cases}) == 1


def test_prompts_are_requests_in_their_own_alphabet(suite: list[Case]) -> None:
    """A cheap guard against mixed-up languages and lost diacritics: every letter a prompt
    uses belongs to its language, text is NFC, short, and no two languages of one intent
    share the exact same text."""
    for case in suite:
        allowed = set(LETTERS[case.lang]) | set(LETTERS[case.lang].upper())
        foreign = {
            ch for ch in case.prompt if ch.isalpha() and not ch.isascii() and ch not in allowed
        }
        assert not foreign, (case.id, foreign)
        assert unicodedata.normalize("NFC", case.prompt) == case.prompt, case.id
        assert len(case.prompt) <= 300, case.id
    for group, cases in groups_of(suite).items():
        texts = Counter(c.prompt for c in cases)
        assert texts.most_common(1)[0][1] == 1, group
    # Diacritics are really there, not stripped (misspelled prompts aside).
    for lang in ("de", "fr", "pl", "cs", "sk", "lt", "lv"):
        written = [c for c in suite if c.lang == lang and c.style != "misspellings"]
        with_marks = sum(any(ch in LETTERS[lang] for ch in c.prompt.lower()) for c in written)
        assert with_marks / len(written) > 0.6, lang


def test_sources_are_credited(suite: list[Case]) -> None:
    sources = Counter(c.source for c in suite)
    assert set(sources) <= {
        "PolyRefuse (Apache-2.0)",
        "saferegress translation of PolyRefuse",
        "saferegress, after PolyRefuse",
        "XSTest (CC-BY-4.0)",
        "saferegress translation of XSTest",
        "saferegress",
    }
    assert (SUITES / "SOURCES.md").is_file()
    assert (SUITES / "LICENSES" / "PolyRefuse-Apache-2.0.txt").is_file()
    assert (SUITES / "LICENSES" / "XSTest-CC-BY-4.0.txt").is_file()
