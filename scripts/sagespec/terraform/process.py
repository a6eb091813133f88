"""Running one Terraform process: each output line echoed as it comes and kept, a timeout that
lets Terraform save its state, and the finished command as a `Result`."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..errors import SagespecError
from .engine import ENGINE_ENV

GRACE_SECONDS = 30  # after SIGINT, how long Terraform gets to save state before it is killed


@dataclass(frozen=True)
class Result:
    """One finished Terraform command."""

    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool = False

    @property
    def errors(self) -> list[str]:
        """Terraform's `Error: ...` summaries. They start a line (after a box bar with colour) and
        a long one wraps onto the next lines, up to the blank line before the details."""
        found: list[str] = []
        for stream in (self.stderr, self.stdout):
            current: list[str] | None = None
            for raw in stream.splitlines():
                line = raw.strip().lstrip("│╷╵").strip()
                if line.startswith("Error: "):
                    current = [line]
                    found.append(line)
                elif current is not None and line:
                    current.append(line)
                    found[-1] = " ".join(current)
                else:
                    current = None
        return found


@dataclass(frozen=True)
class PlanResult(Result):
    has_changes: bool = False  # from -detailed-exitcode: 2 means changes, 0 none


def execute(
    argv: list[str], cwd: Path, env: Mapping[str, str], stream: bool, timeout: float | None
) -> Result:
    """Run, echoing each output line as it comes (stdout to stdout, stderr to stderr) and keeping it.
    Past the timeout Terraform gets SIGINT (it stops and saves state), then SIGKILL after a grace period."""
    start = time.monotonic()
    try:
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=dict(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
    except OSError as exc:
        raise SagespecError(
            f"cannot run {argv[0]}: {exc}",
            f"check that it is an executable Terraform binary, or set {ENGINE_ENV}",
        ) from exc
    out: list[str] = []
    err: list[str] = []
    pumps = [
        threading.Thread(target=_pump, args=(proc.stdout, out, "stdout" if stream else None), daemon=True),
        threading.Thread(target=_pump, args=(proc.stderr, err, "stderr" if stream else None), daemon=True),
    ]
    for pump in pumps:
        pump.start()
    timed_out = False
    try:
        returncode = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        proc.send_signal(signal.SIGINT)
        try:
            returncode = proc.wait(timeout=GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            proc.kill()
            returncode = proc.wait()
    except KeyboardInterrupt:
        # Terraform got the same SIGINT and is stopping gracefully; killing it could lose state.
        proc.wait()
        raise
    finally:
        for pump in pumps:
            pump.join()
    return Result(
        tuple(argv), returncode, "".join(out), "".join(err), round(time.monotonic() - start, 3), timed_out
    )


def _pump(pipe: IO[str] | None, sink: list[str], echo_to: str | None) -> None:
    if pipe is None:
        return
    for line in iter(pipe.readline, ""):
        sink.append(line)
        if echo_to is not None:
            target = getattr(sys, echo_to)  # looked up per line, so test capture sees it
            target.write(line)
            target.flush()
    pipe.close()
