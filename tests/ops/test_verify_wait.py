"""Waiting for a verdict: updates followed until landed, a rollback reported once the endpoint is
back in service, a failed component at once, a timeout with the last status. The clock is fake."""

from __future__ import annotations

from sagespec.ops import verify_checks as verify
from sagespec.ops import verify_wait
from tests.helpers.verify_replies import (
    COMPONENT,
    ENDPOINT,
    QUIET,
    FakeClock,
    component_reply,
    endpoint_reply,
    stubbed,
)

# --- waiting: each outcome -------------------------------------------------------------------


def test_wait_follows_updates_until_landed() -> None:
    clock = FakeClock()
    sm, stub = stubbed(
        [
            ("describe_endpoint", endpoint_reply("Updating")),
            ("describe_inference_component", component_reply("Creating", current=0)),
            ("describe_endpoint", endpoint_reply()),
            ("describe_inference_component", component_reply(current=1)),
            ("describe_inference_component", component_reply()),
        ]
    )
    results = verify_wait.wait_all(sm, [ENDPOINT, COMPONENT], QUIET, 15, None, clock, clock.sleep)
    stub.assert_no_pending_responses()
    assert [r.verdict.state for r in results] == [verify.LANDED, verify.LANDED]
    assert clock.slept == [15, 15] and [r.seconds for r in results] == [15, 30]


def test_wait_reports_a_rollback_once_the_endpoint_is_back_in_service() -> None:
    clock = FakeClock()
    sm, _ = stubbed(
        [
            ("describe_endpoint", endpoint_reply("RollingBack", config="flan-t5-dev-00000000")),
            (
                "describe_endpoint",
                endpoint_reply(config="flan-t5-dev-00000000", reason="Rolled back: my-5xx"),
            ),
        ]
    )
    [result] = verify_wait.wait_all(sm, [ENDPOINT], QUIET, 10, None, clock, clock.sleep)
    assert result.verdict.state == verify.ROLLED_BACK and "Rolled back: my-5xx" in str(result.verdict.reason)


def test_wait_stops_at_once_on_a_failed_component() -> None:
    clock = FakeClock()
    sm, _ = stubbed([("describe_inference_component", component_reply("Failed", reason="OOM in copy"))])
    [result] = verify_wait.wait_all(sm, [COMPONENT], QUIET, 10, None, clock, clock.sleep)
    assert (result.verdict.state, result.verdict.reason, clock.slept) == (verify.FAILED, "OOM in copy", [])


def test_wait_times_out_with_the_last_status() -> None:
    clock = FakeClock()
    sm, _ = stubbed([("describe_endpoint", endpoint_reply("Creating"))] * 3)
    [result] = verify_wait.wait_all(sm, [ENDPOINT], QUIET, 250, None, clock, clock.sleep)
    assert result.verdict.state == verify.TIMED_OUT
    assert result.verdict.reason == "still Creating after 500 s (timeout 600 s)"
    assert clock.slept == [250, 250]
