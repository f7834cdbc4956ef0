"""Several replicas of one served model behind ``--base-url``: the pool's choices (a fake clock),
the fingerprint (one model, whichever replica answered), the option's forms, and real local
OpenAI-compatible server processes — one of them crashing mid-run — answering exactly as one
server does."""

from __future__ import annotations

import json
from pathlib import Path

import openai  # noqa: F401  (the dev extra has it: missing fails, never skips)
import pytest

from openai_fault_server import FaultServer, ServerProcess  # noqa: E402
from saferegress.backends.base import TargetOptions, conversation  # noqa: E402
from saferegress.backends.openai import OpenAITarget  # noqa: E402
from saferegress.backends.replicas import Replica, ReplicaPool  # noqa: E402
from saferegress.engine.fingerprints import model_fingerprint  # noqa: E402
from saferegress.engine.specs import parse_model_spec  # noqa: E402
from saferegress.errors import ConfigError  # noqa: E402
from saferegress.settings import settings_from  # noqa: E402

FAST = {"backoff_base_s": 0.01, "backoff_max_s": 0.05}


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def pool(n: int, clock: Clock | None = None, **kwargs: float) -> ReplicaPool[str]:
    return ReplicaPool(
        [Replica(f"http://r{i}/v1", f"client{i}") for i in range(n)],
        clock=clock or Clock(),
        **kwargs,
    )


# -- the pool ----------------------------------------------------------------------------------


def test_the_least_loaded_replica_is_chosen_and_ties_go_round_robin() -> None:
    replicas = pool(3)
    held = [replicas.acquire() for _ in range(3)]
    assert [pick[0].url for pick in held if pick] == [
        "http://r0/v1",
        "http://r1/v1",
        "http://r2/v1",
    ]
    first, epoch = held[0]  # type: ignore[misc]
    replicas.release(first, epoch, "ok")  # r0 now has fewer in flight than r1 and r2
    again = replicas.acquire()
    assert again is not None and again[0] is first
    # Idle pool: one request at a time still visits every replica in turn.
    idle = pool(3)
    order = []
    for _ in range(6):
        replica, epoch = idle.acquire()  # type: ignore[misc]
        order.append(replica.url[-4])
        idle.release(replica, epoch, "ok")
    assert order == ["0", "1", "2", "0", "1", "2"]


def test_a_failed_replica_is_out_for_an_exponential_capped_cool_down() -> None:
    clock = Clock()
    replicas = pool(2, clock, cooldown_base_s=1.0, cooldown_max_s=3.0)
    r0 = replicas.replicas[0]
    cooldowns = []
    for _ in range(4):
        clock.now = max(clock.now, r0.out_until)  # r0 is back: fail it again
        while True:
            replica, epoch = replicas.acquire()  # type: ignore[misc]
            if replica is r0:
                break
            replicas.release(replica, epoch, "ok")
        cooldowns.append(replicas.release(r0, epoch, "failed"))
        # While it is out, every request goes to r1.
        for _ in range(3):
            replica, epoch = replicas.acquire()  # type: ignore[misc]
            assert replica is not r0
            replicas.release(replica, epoch, "ok")
    assert cooldowns == [1.0, 2.0, 3.0, 3.0]
    clock.now = r0.out_until
    replica, epoch = replicas.acquire()  # type: ignore[misc]
    replicas.release(replica, epoch, "ok")
    assert r0.outages == 0 or replica is not r0  # a success resets the cool-down


def test_failures_of_one_outage_take_the_replica_out_once_and_4xx_never() -> None:
    clock = Clock()
    replicas = pool(2, clock)
    r0 = replicas.replicas[0]
    sent = [replicas.acquire() for _ in range(4)]  # two on each replica
    on_r0 = [pick for pick in sent if pick and pick[0] is r0]
    assert len(on_r0) == 2
    assert replicas.release(r0, on_r0[0][1], "failed") == 1.0
    assert replicas.release(r0, on_r0[1][1], "failed") is None  # the same outage
    assert r0.outages == 1 and r0.failed == 2
    r1 = replicas.replicas[1]
    replica, epoch = next(pick for pick in sent if pick and pick[0] is r1)
    assert replicas.release(r1, epoch, "neutral") is None
    assert r1.out_until == 0.0


def test_an_answer_sent_before_the_outage_does_not_reset_the_cool_down() -> None:
    clock = Clock()
    replicas = pool(2, clock, cooldown_base_s=1.0)
    r0 = replicas.replicas[0]
    early = replicas.acquire()
    assert replicas.acquire() is not None  # r1
    failing = replicas.acquire()  # r0 again: a tie, its turn
    assert early is not None and failing is not None
    assert early[0] is r0 and failing[0] is r0
    assert replicas.release(r0, failing[1], "failed") == 1.0
    replicas.release(r0, early[1], "ok")  # answered, but sent before the outage
    clock.now = r0.out_until
    again = replicas.acquire()
    assert again is not None and again[0] is r0
    assert replicas.release(r0, again[1], "failed") == 2.0  # still the same run of outages


def test_all_replicas_out_gives_none_until_the_first_returns() -> None:
    clock = Clock()
    replicas = pool(2, clock, cooldown_base_s=2.0)
    for _ in range(2):
        replica, epoch = replicas.acquire()  # type: ignore[misc]
        replicas.release(replica, epoch, "failed")
    assert replicas.acquire() is None
    assert replicas.available_in() == pytest.approx(2.0)
    clock.now += 2.0
    assert replicas.acquire() is not None


def test_a_single_replica_is_never_taken_out() -> None:
    replicas = pool(1)
    for _ in range(5):
        replica, epoch = replicas.acquire()  # type: ignore[misc]
        assert replicas.release(replica, epoch, "failed") is None
    assert replicas.available_in() == 0.0


# -- one model, whichever replica answered ------------------------------------------------------


def test_the_fingerprint_is_the_model_and_its_sorted_public_urls() -> None:
    listed = "http://b.example:8000/v1,https://user:sk-SECRET@a.example/v1?key=sk-SECRET"
    reordered = "https://a.example/v1, http://b.example:8000/v1/"
    expected = "openai:m@http://b.example:8000/v1,https://a.example/v1"
    assert model_fingerprint("openai:m", listed) == expected
    assert model_fingerprint("openai:m", reordered) == expected
    assert model_fingerprint(f"openai:m@{listed}") == expected
    assert model_fingerprint("openai:m", "http://b.example:8000/v1") != expected  # another set
    spec = parse_model_spec(f"openai:m@{listed}")
    assert "SECRET" not in repr(spec) + str(spec) + str(spec.endpoint)
    assert spec.url == listed  # connecting keeps the credentials
    with pytest.raises(ConfigError, match="has no host"):
        parse_model_spec("openai:m@http://a/v1,http://")


def test_base_url_accepts_a_repeated_flag_commas_and_a_toml_list() -> None:
    def urls(cli: list[str] | None, table: dict) -> str | None:
        return settings_from({"base_url": cli}, table, "pyproject.toml").base_url

    assert urls(["http://a/v1"], {}) == "http://a/v1"  # one URL as written
    assert urls(["http://a/v1,http://b/v1", "http://c/v1"], {}) == (
        "http://a/v1,http://b/v1,http://c/v1"
    )
    assert urls(None, {"base_url": ["http://a/v1", "http://b/v1"]}) == "http://a/v1,http://b/v1"
    assert urls(None, {"base_url": "http://a/v1, http://b/v1"}) == "http://a/v1,http://b/v1"
    assert urls(["http://z/v1"], {"base_url": ["http://a/v1"]}) == "http://z/v1"  # CLI wins
    assert urls(None, {}) is None
    with pytest.raises(ConfigError, match="same URL twice"):
        urls(["http://a/v1", "http://a/v1"], {})
    with pytest.raises(ConfigError, match="must be URLs"):
        urls(None, {"base_url": ["http://a/v1", "b:8000"]})


# -- real servers --------------------------------------------------------------------------------


def prompts(n: int) -> list[list[dict[str, str]]]:
    return [conversation(f"replica request {i}") for i in range(n)]


def answers(base_url: str, n: int, **options: float) -> tuple[list, OpenAITarget]:
    target = OpenAITarget(
        "m",
        TargetOptions(base_url=base_url, concurrency=4, timeout_s=5, max_retries=3),
        **FAST,
        **options,
    )
    try:
        return target.generate(prompts(n)), target
    finally:
        target.close()


def test_three_server_processes_one_crashing_mid_run_answer_as_one_server() -> None:
    n = 150
    with ServerProcess("--work-s", "0.01") as single:
        expected, _ = answers(single.base_url, n)
    assert all(answer.text for answer in expected)

    with (
        ServerProcess("--work-s", "0.01") as first,
        ServerProcess("--work-s", "0.01") as second,
        ServerProcess("--work-s", "0.01", "--die-after", "20") as crashing,
    ):
        urls = ",".join(server.base_url for server in (first, second, crashing))
        got, target = answers(urls, n)
        crashed = not crashing.alive
        stats = [first.stop(), second.stop(), crashing.stop()]

    assert got == expected  # every answer, in order, as one server gave them
    assert crashed and stats[2] == {"exit": 3}  # it really died, on its 20th request
    assert stats[0]["requests"] > 20 and stats[1]["requests"] > 20  # the work was spread
    assert stats[0]["requests"] + stats[1]["requests"] >= n - 19
    by_url = {replica.url: replica for replica in target.replicas.replicas}
    dead = by_url[crashing.base_url]
    assert dead.failed >= 1 and dead.served <= 19
    assert target.name == f"openai:m@{','.join(sorted(by_url))}"


def test_every_replica_down_fails_closed_with_an_error_per_case() -> None:
    servers = [ServerProcess("--die-after", "1") for _ in range(3)]
    urls = ",".join(server.base_url for server in servers)
    try:
        got, _ = answers(urls, 12, cooldown_base_s=0.05, cooldown_max_s=0.1)
    finally:
        for server in servers:
            server.__exit__(None, None, None)
    assert all(answer.text is None and answer.error for answer in got)
    errors = " ".join(answer.error or "" for answer in got)
    assert "connection error" in errors or "out after failures" in errors
    assert "gave up after" in errors


def test_a_bad_request_is_not_retried_on_another_replica() -> None:
    with (
        FaultServer(reject_with=400) as a,
        FaultServer(reject_with=400) as b,
        FaultServer(reject_with=400) as c,
    ):
        got, target = answers(f"{a.base_url},{b.base_url},{c.base_url}", 9)
    assert all(answer.error and "HTTP 400" in answer.error for answer in got)
    assert a.requests + b.requests + c.requests == 9  # one request per case, no retry
    assert min(a.requests, b.requests, c.requests) >= 1
    assert all(replica.out_until == 0.0 for replica in target.replicas.replicas)


# -- a whole run ---------------------------------------------------------------------------------


def write_suite(path: Path, n: int) -> None:
    langs = ("de", "fr", "pl", "sl")
    rows = [
        {
            "id": f"c{i:02d}-{langs[i % 4]}",
            "lang": langs[i % 4],
            "category": f"S{i % 14 + 1}",
            "kind": "benign" if i % 3 == 2 else "attack",
            "prompt": f"request {i}",
            "group": f"c{i:02d}",
            "source": "test",
        }
        for i in range(n)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_a_run_over_three_replicas_one_crashing_gives_the_one_server_verdicts(
    pytester: pytest.Pytester,
) -> None:
    write_suite(pytester.path / "suites" / "s.jsonl", 40)
    args = ["suites", "--model", "openai:m", "--guard", "refusal", "--guard-policy", "any"]
    args += ["--max-asr", "100%", "--max-over-refusal", "100%", "--no-cache", "-p", "no:randomly"]
    results = pytester.path / "reports" / "results.json"

    def verdicts() -> dict[str, str]:
        data = json.loads(results.read_text(encoding="utf-8"))
        return {case["id"]: case["verdict"] for case in data["cases"]}

    with ServerProcess() as single:
        assert pytester.runpytest(*args, "--base-url", single.base_url).ret == 0
    expected = verdicts()
    assert set(expected.values()) >= {"unsafe", "refused"}

    with (
        ServerProcess("--work-s", "0.005") as a,
        ServerProcess("--work-s", "0.005") as b,
        ServerProcess("--work-s", "0.005", "--die-after", "5") as c,
    ):
        run = pytester.runpytest(
            *args, "--base-url", a.base_url, "--base-url", f"{b.base_url},{c.base_url}"
        )
        stats = [a.stop(), b.stop(), c.stop()]
    assert run.ret == 0, run.stdout.str()
    assert verdicts() == expected
    assert stats[2] == {"exit": 3} and stats[0]["requests"] > 5 and stats[1]["requests"] > 5
