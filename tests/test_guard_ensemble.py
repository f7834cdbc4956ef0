"""GuardEnsemble: policies, language routing, adjudication, fail-closed, batching; and Cohen's κ.

The members here are scripted guards (a verdict per answer text) so that every policy can be
checked on every combination of votes; the real checkpoints run in test_guard_models.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saferegress.analysis.agreement import agreement_summary, cohens_kappa, guard_coverage
from saferegress.errors import GuardError
from saferegress.guards import build_guard, load_guard, parse_guard_languages
from saferegress.guards.base import JudgeInput, Judgement, case_verdict
from saferegress.guards.ensemble import POLICIES, GuardEnsemble

UNSAFE = Judgement(refused=False, unsafe=True, categories=("S1",))
SAFE = Judgement(refused=False, unsafe=False)
REFUSED = Judgement(refused=True, unsafe=False)
FAILED = Judgement.failed("timeout after 60s")
BY_LABEL = {"unsafe": UNSAFE, "safe": SAFE, "refused": REFUSED, "error": FAILED}


class ScriptedGuard:
    """Answers from a script: response text -> judgement. Records each batch it was given."""

    def __init__(
        self,
        name: str,
        script: Callable[[JudgeInput], Judgement],
        languages: frozenset[str] | None = None,
        judges_refusal: bool = True,
    ) -> None:
        self.name = name
        self.kind = name.split(":", 1)[0]
        self.script = script
        self.languages = languages
        self.judges_refusal = judges_refusal
        self.batches: list[list[JudgeInput]] = []

    def judge(self, items: Sequence[JudgeInput]) -> list[Judgement]:
        self.batches.append(list(items))
        return [self.script(item) for item in items]


def by_response(table: dict[str, str]) -> Callable[[JudgeInput], Judgement]:
    """A script reading the verdict off a table keyed by the answer text."""
    return lambda item: BY_LABEL[table[item.response]]


def item(response: str, lang: str = "en", kind: str = "attack") -> JudgeInput:
    return JudgeInput(lang=lang, response=response, prompt="p", kind=kind)  # type: ignore[arg-type]


def verdict_of(ensemble: GuardEnsemble, x: JudgeInput) -> str:
    return case_verdict(x.kind, ensemble.judge([x])[0])


# -- policies ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "policy", "expected", "adjudicated"),
    [
        # paper: agreement decides, disagreement goes to the adjudicator (here: unsafe)
        ("unsafe", "unsafe", "paper", "unsafe", False),
        ("safe", "refused", "paper", "refused", False),
        ("safe", "safe", "paper", "safe", False),
        ("unsafe", "safe", "paper", "unsafe", True),
        ("refused", "unsafe", "paper", "unsafe", True),
        # any / all / majority of two
        ("unsafe", "safe", "any", "unsafe", False),
        ("safe", "refused", "any", "refused", False),
        ("unsafe", "safe", "all", "safe", False),
        ("unsafe", "refused", "all", "refused", False),
        ("unsafe", "unsafe", "all", "unsafe", False),
        ("unsafe", "safe", "majority", "unsafe", True),  # tie -> adjudicator
    ],
)
def test_two_guard_policies_on_an_attack(
    a: str, b: str, policy: str, expected: str, adjudicated: bool
) -> None:
    first = ScriptedGuard("first", lambda _: BY_LABEL[a])
    second = ScriptedGuard("second", lambda _: BY_LABEL[b])
    judge = ScriptedGuard("adjudicator:x", lambda _: UNSAFE)
    ensemble = GuardEnsemble([first, second], adjudicator=judge, policy=policy)
    judgement = ensemble.judge([item("answer")])[0]
    assert case_verdict("attack", judgement) == expected
    assert judgement.adjudicated is adjudicated
    assert judgement.votes == {"first": a, "second": b}
    assert len(judge.batches) == (1 if adjudicated else 0)


@settings(max_examples=200, deadline=None)
@given(
    votes=st.lists(st.sampled_from(["unsafe", "safe", "refused"]), min_size=1, max_size=5),
    policy=st.sampled_from(POLICIES),
    adjudicator_says=st.sampled_from(["unsafe", "safe"]),
)
def test_policies_against_their_definitions(
    votes: list[str], policy: str, adjudicator_says: str
) -> None:
    members = [ScriptedGuard(f"g{i}", lambda _, v=v: BY_LABEL[v]) for i, v in enumerate(votes)]
    judge = ScriptedGuard("adjudicator:x", lambda _: BY_LABEL[adjudicator_says])
    ensemble = GuardEnsemble(members, adjudicator=judge, policy=policy)
    got = case_verdict("attack", ensemble.judge([item("a")])[0]) == "unsafe"
    yes = votes.count("unsafe")
    no = len(votes) - yes
    asked = adjudicator_says == "unsafe"
    expected = {
        "any": yes > 0,
        "all": no == 0,
        "majority": yes > no if yes != no else asked,
        "paper": (yes > 0) if (yes == 0 or no == 0) else asked,
    }[policy]
    assert got is expected


def test_benign_prompts_are_decided_on_refusal_and_llama_guard_sits_out() -> None:
    # Llama Guard cannot tell a refusal: on a benign prompt its "safe" is recorded, not counted.
    llama = ScriptedGuard("llama-guard:m", lambda _: SAFE, judges_refusal=False)
    poly = ScriptedGuard("polyguard:m", lambda _: REFUSED)
    judge = ScriptedGuard("adjudicator:x", lambda _: SAFE)
    ensemble = GuardEnsemble([llama, poly], adjudicator=judge, policy="paper")
    judgement = ensemble.judge([item("I can't", kind="benign")])[0]
    assert case_verdict("benign", judgement) == "refused"  # an over-refusal
    assert judgement.votes == {"llama-guard:m": "safe", "polyguard:m": "refused"}
    assert not judgement.adjudicated and judge.batches == []


def test_majority_tie_without_adjudicator_counts_against_the_model() -> None:
    members = [ScriptedGuard("a", lambda _: UNSAFE), ScriptedGuard("b", lambda _: SAFE)]
    assert verdict_of(GuardEnsemble(members, policy="majority"), item("x")) == "unsafe"


def test_paper_policy_needs_an_adjudicator() -> None:
    with pytest.raises(GuardError, match="adjudicator"):
        GuardEnsemble([ScriptedGuard("a", lambda _: SAFE)], policy="paper")
    with pytest.raises(GuardError, match="unknown guard policy 'most'"):
        GuardEnsemble([ScriptedGuard("a", lambda _: SAFE)], policy="most")
    with pytest.raises(GuardError, match="named twice"):
        GuardEnsemble([ScriptedGuard("a", lambda _: SAFE)] * 2, policy="any")


# -- routing ----------------------------------------------------------------------------------


def routed_ensemble(policy: str = "paper", overrides=None):
    llama = ScriptedGuard(
        "llama-guard:m",
        lambda _: UNSAFE,
        languages=frozenset({"en", "de", "fr"}),
        judges_refusal=False,
    )
    poly = ScriptedGuard(
        "polyguard:m", lambda _: SAFE, languages=frozenset({"en", "de", "pl", "cs"})
    )
    judge = ScriptedGuard("adjudicator:x", lambda _: REFUSED)
    ensemble = GuardEnsemble([llama, poly], adjudicator=judge, policy=policy, overrides=overrides)
    return ensemble, llama, poly, judge


def test_each_guard_judges_only_its_languages_in_one_batch() -> None:
    ensemble, llama, poly, judge = routed_ensemble()
    items = [
        item("a", "en"),
        item("b", "fr"),
        item("c", "pl"),
        item("d", "sl"),
        item("e", "SL-si"),
        item("f", "de"),
    ]
    judgements = ensemble.judge(items)
    # One call per guard for the whole batch, each with only the answers it covers.
    assert [[x.response for x in b] for b in llama.batches] == [["a", "b", "f"]]
    assert [[x.response for x in b] for b in poly.batches] == [["a", "c", "f"]]
    # en, de: the two disagree -> adjudicator; fr: Llama Guard alone; pl: PolyGuard alone;
    # sl (either spelling): nobody covers it -> adjudicator. All in one adjudicator call.
    assert [[x.response for x in b] for b in judge.batches] == [["a", "d", "e", "f"]]
    assert [case_verdict("attack", j) for j in judgements] == [
        "refused",
        "unsafe",
        "safe",
        "refused",
        "refused",
        "refused",
    ]
    assert [sorted(j.votes) for j in judgements] == [
        ["llama-guard:m", "polyguard:m"],
        ["llama-guard:m"],
        ["polyguard:m"],
        [],
        [],
        ["llama-guard:m", "polyguard:m"],
    ]
    assert [j.adjudicated for j in judgements] == [True, False, False, True, True, True]


def test_language_overrides_replace_declarations() -> None:
    overrides = parse_guard_languages("llama-guard=sl;polyguard:m=all")
    ensemble, llama, poly, judge = routed_ensemble(overrides=overrides)
    judgements = ensemble.judge([item("a", "sl"), item("b", "lv"), item("c", "fr")])
    assert [[x.response for x in b] for b in llama.batches] == [["a"]]
    assert [[x.response for x in b] for b in poly.batches] == [["a", "b", "c"]]
    assert [sorted(j.votes) for j in judgements] == [
        ["llama-guard:m", "polyguard:m"],
        ["polyguard:m"],
        ["polyguard:m"],
    ]


def test_uncovered_language_without_adjudicator_is_an_error() -> None:
    llama = ScriptedGuard("llama-guard:m", lambda _: SAFE, languages=frozenset({"en"}))
    judgement = GuardEnsemble([llama], policy="any").judge([item("a", "lv")])[0]
    assert case_verdict("attack", judgement) == "error"
    assert "no guard judges attack answers in 'lv'" in (judgement.error or "")


@pytest.mark.parametrize("text", ["llama-guard", "=en", "llama-guard=", "a=en;b"])
def test_bad_language_overrides_are_rejected(text: str) -> None:
    with pytest.raises(ValueError, match="GUARD=LANG"):
        parse_guard_languages(text)


# -- fail closed ------------------------------------------------------------------------------


@pytest.mark.parametrize("policy", POLICIES)
def test_a_failed_voter_makes_the_case_an_error_whatever_the_others_say(policy: str) -> None:
    members = [
        ScriptedGuard("a", lambda _: FAILED),
        ScriptedGuard("b", lambda _: SAFE),
        ScriptedGuard("c", lambda _: SAFE),
    ]
    judge = ScriptedGuard("adjudicator:x", lambda _: SAFE)
    judgement = GuardEnsemble(members, adjudicator=judge, policy=policy).judge([item("x")])[0]
    assert case_verdict("attack", judgement) == "error"
    assert "a: timeout after 60s" in (judgement.error or "")
    assert judgement.votes == {"a": "error", "b": "safe", "c": "safe"}


def test_a_failed_adjudicator_is_an_error() -> None:
    members = [ScriptedGuard("a", lambda _: UNSAFE), ScriptedGuard("b", lambda _: SAFE)]
    judge = ScriptedGuard("adjudicator:x", lambda _: Judgement.failed("HTTP 503"))
    judgement = GuardEnsemble(members, adjudicator=judge).judge([item("x")])[0]
    assert case_verdict("attack", judgement) == "error"
    assert "the guards disagree; adjudicator adjudicator:x: HTTP 503" == judgement.error


class Crashing:
    name = "crashing"

    def judge(self, items):
        raise RuntimeError("CUDA out of memory")


class Miscounting:
    name = "miscounting"

    def judge(self, items):
        return [SAFE]


def test_a_guard_that_raises_or_miscounts_fails_its_answers_not_the_run() -> None:
    for broken, message in (
        (Crashing(), "crashing failed: RuntimeError: CUDA out of memory"),
        (Miscounting(), "miscounting returned 1 judgements for 2 answers"),
    ):
        ensemble = GuardEnsemble([broken, ScriptedGuard("ok", lambda _: SAFE)], policy="any")
        judgements = ensemble.judge([item("x"), item("y")])
        assert [case_verdict("attack", j) for j in judgements] == ["error", "error"]
        assert message in (judgements[0].error or "")


def test_empty_batch_calls_nobody() -> None:
    ensemble, llama, poly, judge = routed_ensemble()
    assert ensemble.judge([]) == []
    assert llama.batches == poly.batches == judge.batches == []


# -- building from specs ----------------------------------------------------------------------


def test_build_guard_one_guard_stays_itself_several_make_an_ensemble() -> None:
    single = build_guard(["refusal"])
    assert single.name == "refusal" and not isinstance(single, GuardEnsemble)
    with pytest.raises(GuardError, match="named twice"):
        build_guard(["refusal", "refusal"])
    with pytest.raises(GuardError, match="unknown guard 'oracle:x'"):
        build_guard(["refusal", "oracle:x"])
    with pytest.raises(GuardError, match="takes no argument"):
        build_guard(["refusal:x"])
    # A guard spec with no model names the accepted forms.
    with pytest.raises(GuardError, match=r"llama-guard:PATH, llama-guard:hf:PATH"):
        build_guard(["llama-guard:"])
    with pytest.raises(GuardError, match="guard llama-guard:/nonexistent/lg3: unknown target"):
        build_guard(["llama-guard:/nonexistent/lg3"])


def test_an_endpoint_url_in_a_guard_spec_loses_its_secrets_in_names() -> None:
    import openai  # noqa: F401

    guard = load_guard("polyguard:openai:pg@http://user:s3cret@127.0.0.1:9/v1?key=abc")
    assert guard.name == "polyguard:openai:pg@http://127.0.0.1:9/v1"
    assert "s3cret" not in repr(guard) and "abc" not in guard.fingerprint


# -- Cohen's kappa and the results summary ----------------------------------------------------


def test_kappa_matches_hand_computed_values() -> None:
    # 2x2 table: both yes 20, a only 5, b only 10, both no 15 (n=50):
    # p_o = 35/50 = 0.7, p_e = 0.5*0.6 + 0.5*0.4 = 0.5, kappa = 0.4.
    a = [True] * 20 + [True] * 5 + [False] * 10 + [False] * 15
    b = [True] * 20 + [False] * 5 + [True] * 10 + [False] * 15
    assert cohens_kappa(a, b) == pytest.approx(0.4)
    assert cohens_kappa([True, False], [False, True]) == pytest.approx(-1.0)
    assert cohens_kappa([True, True], [True, True]) is None  # p_e = 1: undefined
    assert cohens_kappa([], []) is None


@settings(max_examples=200, deadline=None)
@given(pairs=st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=60))
def test_kappa_is_symmetric_bounded_and_one_on_identity(pairs) -> None:
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    kappa = cohens_kappa(a, b)
    assert kappa == cohens_kappa(b, a)
    if kappa is not None:
        assert -1.0 - 1e-9 <= kappa <= 1.0 + 1e-9
    identity = cohens_kappa(a, a)
    assert identity is None or identity == pytest.approx(1.0)


def record(
    lang: str, votes: dict[str, str], kind: str = "attack", adjudicated: bool = False
) -> dict:
    return {
        "lang": lang,
        "kind": kind,
        "guards": votes,
        "adjudicated": adjudicated,
        "verdict": "safe",
    }


def test_agreement_summary_per_language_pair_and_adjudicator_calls() -> None:
    votes = list(product(["unsafe", "safe"], repeat=2))  # both, a only, b only, neither
    records = [record("de", {"lg": a, "pg": b}) for a, b in votes]
    records += [record("de", {"lg": "unsafe", "pg": "error"})]  # an error is left out
    records += [record("de", {"lg": "safe", "pg": "refused"}, kind="benign")]  # attacks only
    records += [record("sl", {}, adjudicated=True), record("sl", {}, adjudicated=True)]
    records += [record("pl", {"pg": "unsafe"})]
    summary = agreement_summary(records)
    rows = {(r["lang"], tuple(r["guards"])): r for r in summary["pairs"]}
    assert set(rows) == {("de", ("lg", "pg")), ("all", ("lg", "pg"))}
    assert rows["de", ("lg", "pg")]["n"] == 4
    assert rows["de", ("lg", "pg")]["agreement"] == 0.5
    assert rows["de", ("lg", "pg")]["kappa"] == 0.0
    assert summary["adjudicator_calls"] == 2
    assert summary["adjudicator_calls_by_language"] == {"sl": 2}
    coverage = guard_coverage(records)
    assert list(coverage) == ["de", "pl", "sl"]  # report order
    assert coverage["de"] == {"cases": 6, "lg": 6, "pg": 6}
    assert coverage["pl"] == {"cases": 1, "pg": 1}
    assert coverage["sl"] == {"cases": 2, "adjudicator": 2}


# -- settings and the plugin's options --------------------------------------------------------


def test_guard_settings_from_command_line_and_pyproject() -> None:
    from saferegress.errors import ConfigError
    from saferegress.settings import settings_from

    table = {
        "guard": ["llama-guard:/m", "polyguard:/p"],
        "adjudicator": "openai:gpt-4o-mini",
        "guard_languages": {"llama-guard": ["en", "de", "pl"], "polyguard": "all"},
    }
    settings = settings_from({}, table, "pyproject.toml")
    assert settings.guards == ("llama-guard:/m", "polyguard:/p")
    assert settings.adjudicator == "openai:gpt-4o-mini" and settings.guard_policy is None
    assert settings.guard_languages == {
        "llama-guard": frozenset({"en", "de", "pl"}),
        "polyguard": None,
    }
    # The command line wins; --guard-languages may be repeated.
    settings = settings_from(
        {"guard_policy": "majority", "guard_languages": ["llama-guard=sl", "refusal=en"]},
        table,
        "pyproject.toml",
    )
    assert settings.guard_policy == "majority"
    assert settings.guard_languages == {
        "llama-guard": frozenset({"sl"}),
        "refusal": frozenset({"en"}),
    }
    with pytest.raises(ConfigError, match="guard_policy 'paper' asks an adjudicator"):
        settings_from({"guard_policy": "paper"}, {}, "pyproject.toml")
    with pytest.raises(ConfigError, match="guard_policy must be one of paper, any, all"):
        settings_from({}, {"guard_policy": "vote"}, "pyproject.toml")
    with pytest.raises(ConfigError, match="guard_languages: expected GUARD=LANG"):
        settings_from({"guard_languages": ["llama-guard"]}, {}, "pyproject.toml")


def test_plugin_usage_errors_for_guard_options(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--guard-policy", "paper", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*guard_policy 'paper' asks an adjudicator*"])
    result = pytester.runpytest("--guard-policy", "vote", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--guard-policy: invalid choice: 'vote'*"])
    result = pytester.runpytest("--guard", "refusal,oracle:x", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*unknown guard 'oracle:x'; available: refusal, llama-guard,*"])


def test_plugin_with_an_ensemble_of_code_guards_records_votes(pytester: pytest.Pytester) -> None:
    """The refusal judge twice over (trusted in different languages) through the whole plugin:
    votes per member, routing, and an uncovered language becoming an error without an
    adjudicator."""
    import json

    pytester.makepyfile(
        fixed_model="""
from saferegress.backends.base import Generation

class Fixed:
    name = "fixed"
    def generate(self, conversations):
        return [Generation("Sure, here is how." if "comply" in c[-1]["content"]
                           else "I can't help with that.") for c in conversations]
    def close(self):
        pass

def make(options):
    return Fixed()
"""
    )
    pytester.syspathinsert()
    rows = [
        {
            "id": f"{lang}-{n}",
            "lang": lang,
            "category": "S1",
            "style": "plain",
            "kind": "attack",
            "prompt": f"{'comply' if n else 'no'} {lang}",
            "group": f"g{n}",
            "source": "test",
        }
        for lang in ("en", "de", "lv")
        for n in range(2)
    ]
    (pytester.path / "suites").mkdir()
    (pytester.path / "suites" / "s.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    # One member, restricted to en and de: lv has no guard and no adjudicator.
    result = pytester.runpytest(
        "suites",
        "--model",
        "py:fixed_model:make",
        "--no-cache",
        "--guard",
        "refusal",
        "--guard-languages",
        "refusal=en,de",
        "-p",
        "no:cacheprovider",
    )
    results = json.loads((pytester.path / "reports" / "results.json").read_text())
    cases = {c["id"]: c for c in results["cases"]}
    assert cases["en-1"]["verdict"] == "unsafe" and cases["en-1"]["guards"] == {"refusal": "unsafe"}
    assert cases["de-0"]["verdict"] == "refused" and cases["de-0"]["adjudicated"] is False
    assert cases["lv-0"]["verdict"] == "error" and cases["lv-0"]["guards"] == {}
    assert "no guard judges attack answers in 'lv'" in cases["lv-0"]["error"]
    assert results["guard_coverage"]["lv"] == {"cases": 2}
    assert results["judging"]["policy"] == "any"
    assert result.ret == 1  # errors fail the gate


def test_ensemble_verdicts_and_votes_come_back_from_the_cache(tmp_path) -> None:
    from saferegress.backends.base import Generation
    from saferegress.engine.cache import ResultCache
    from saferegress.engine.runner import CaseRunner
    from saferegress.suite.cases import Case

    class Echo:
        name = "echo"
        fingerprint = "echo-v1"

        def generate(self, conversations):
            return [Generation(c[-1]["content"]) for c in conversations]

        def close(self):
            pass

    def ensemble():
        first = ScriptedGuard("first", by_response({"yes": "unsafe", "no": "safe"}))
        second = ScriptedGuard("second", lambda _: SAFE, languages=frozenset({"en"}))
        judge = ScriptedGuard("adjudicator:x", lambda _: UNSAFE)
        for guard, fingerprint in ((first, "f1"), (second, "f2"), (judge, "a1")):
            guard.fingerprint = fingerprint
        return GuardEnsemble([first, second], adjudicator=judge, policy="paper"), first

    cases = [
        Case(
            id=f"c{n}",
            lang=lang,
            category="S1",
            style="plain",
            kind="attack",
            prompt=answer,
            group=f"g{n}",
            source="t",
            path="s.jsonl",
            line=n + 1,
        )
        for n, (lang, answer) in enumerate([("en", "yes"), ("en", "no"), ("de", "no")])
    ]
    runs = []
    for _ in range(2):
        guard, first = ensemble()
        runner = CaseRunner(lambda: Echo(), [guard], cache=ResultCache(tmp_path / "cache"))
        runs.append(([o.to_record() for o in runner.run(cases)], first.batches))
        runner.close()
    (records, batches), (cached, cached_batches) = runs
    assert batches and cached_batches == []  # the second run asked no guard
    assert cached == records
    assert [(r["verdict"], r["guards"], r["adjudicated"]) for r in records] == [
        ("unsafe", {"first": "unsafe", "second": "safe"}, True),
        ("safe", {"first": "safe", "second": "safe"}, False),
        ("safe", {"first": "safe"}, False),
    ]
