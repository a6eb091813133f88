"""Poll every rendered endpoint and inference component until each has landed, failed, rolled back
or run out of time, with one progress line per resource. Clock and sleep are injected (tests)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from . import components
from .verify_checks import (
    FINAL,
    PENDING,
    TIMED_OUT,
    Expect,
    Verdict,
    judge_adapter,
    judge_component,
    judge_endpoint,
)
from .waiting import not_found


@dataclass(frozen=True)
class Result:
    expect: Expect
    verdict: Verdict
    seconds: float


def describe_endpoint(sm: Any, name: str) -> dict[str, Any] | None:
    try:
        return dict(sm.describe_endpoint(EndpointName=name))
    except ClientError as exc:
        if not_found(exc):
            return None
        raise


def judge(sm: Any, expect: Expect) -> Verdict:
    if expect.kind == "endpoint":
        return judge_endpoint(expect, describe_endpoint(sm, expect.name))
    if expect.kind == "adapter":
        return judge_adapter(expect, components.describe_component(sm, expect.name))
    return judge_component(expect, components.describe_component(sm, expect.name))


def _line(expect: Expect, verdict: Verdict, elapsed: float, limit: float) -> str:
    detail = f": {verdict.reason}" if verdict.reason else ""
    waited = f"{elapsed:.0f} s of {limit:.0f} s"
    return f"{expect.label}: {verdict.status}, {verdict.state}{detail} ({waited})"


def wait_all(
    sm: Any,
    expects: list[Expect],
    console: Console,
    poll_s: float = 15.0,
    timeout_s: float | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Result]:
    """Results in the order of `expects`; `timeout_s` overrides each resource's own timeout."""
    start = clock()
    done: dict[int, Result] = {}
    last: dict[int, str] = {}
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        tasks = {i: progress.add_task(e.label, total=None) for i, e in enumerate(expects)}
        while len(done) < len(expects):
            elapsed = clock() - start
            for index, expect in enumerate(expects):
                if index in done:
                    continue
                limit = timeout_s if timeout_s is not None else expect.timeout_s
                verdict = judge(sm, expect)
                line = _line(expect, verdict, elapsed, limit)
                if verdict.status + verdict.state != last.get(index):  # a log line per change, for CI
                    progress.console.print(line, markup=False)  # reasons may hold [brackets]
                    last[index] = verdict.status + verdict.state
                progress.update(tasks[index], description=line)
                if verdict.state in FINAL:
                    done[index] = Result(expect, verdict, elapsed)
                elif verdict.state == PENDING and elapsed + poll_s > limit:
                    why = f"still {verdict.status} after {elapsed:.0f} s (timeout {limit:.0f} s)"
                    reason = f"{why}: {verdict.reason}" if verdict.reason else why
                    done[index] = Result(expect, Verdict(TIMED_OUT, verdict.status, reason), elapsed)
            if len(done) < len(expects):
                sleep(poll_s)
    return [done[i] for i in range(len(expects))]
