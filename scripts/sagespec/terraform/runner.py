"""The one place sagespec runs Terraform (or OpenTofu).

Command lines are built by python-terraform (its `-no-color` / IsFlagged conventions); the process
is run here. python-terraform 0.10.1 imports and builds arguments fine on Python 3.11, but its
higher-level calls are unsafe on Terraform >= 0.15, so this module does not use them:

- `apply(plan)` and `plan()` always add `-var-file=<temp file holding {}>` (its default `variables={}`),
  and Terraform refuses any -var-file when applying a saved plan ("Can't set variables when applying
  a saved plan");
- `destroy()` passes `-force`, removed in Terraform 0.15 ("flag provided but not defined: -force");
- `cmd()` either captures output or streams it to the real file descriptors, never both, and its
  `synchronous=False` leaks into the command line as `-synchronous=false`;
- on failure it calls the deprecated `Logger.warn`, which raises under `-W error`.

So: `Terraform.generate_cmd_string()` for argv, our own Popen that streams each line while
capturing it, and structured results. Every error is a SagespecError with a hint.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from python_terraform import IsFlagged, Terraform

from ..errors import SagespecError
from . import engine

BINARY_ENV = engine.ENGINE_ENV
TIMEOUT_ENV = "SAGESPEC_TERRAFORM_TIMEOUT"  # seconds per command; unset: no limit
GRACE_SECONDS = 30  # after SIGINT, how long Terraform gets to save state before it is killed

# Output of `terraform init` when providers cannot be downloaded (Terraform 1.0 to 1.15, OpenTofu).
REGISTRY_ERRORS = (
    "Failed to query available provider packages",
    "could not connect to registry",
    "Could not retrieve the list of available versions",
    "Failed to install provider",
    "Failed to download module",
)
CREDENTIAL_ERRORS = (
    "No valid credential sources found",
    "NoCredentialProviders",
    "InvalidClientTokenId",
    "ExpiredToken",
    "failed to refresh cached credentials",
)
CREDENTIAL_HINT = (
    "Terraform found no usable AWS credentials (the S3 state backend needs them even to plan): "
    "set AWS_PROFILE, run `aws sso login`, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
)
REGISTRY_HINT = (
    "Terraform could not download providers or modules (no route to the registry?). On an offline "
    "machine, fill a mirror elsewhere with `terraform providers mirror DIR`, then point "
    'TF_CLI_CONFIG_FILE at a file holding `provider_installation { filesystem_mirror { path = "DIR" } }` '
    "(or set TF_PLUGIN_CACHE_DIR to a cache that already has them)"
)


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


class TerraformFailed(SagespecError):
    """A Terraform command exited non-zero. `result` holds its full output."""

    def __init__(self, message: str, hint: str | None, result: Result) -> None:
        super().__init__(message, hint)
        self.result = result


def find_terraform(environ: Mapping[str, str] | None = None) -> str:
    """The engine by sagespec's one rule (terraform/engine.py): $SAGESPEC_TERRAFORM, else terraform
    or tofu on PATH, else the bundled sagespec-terraform; refused when older than Terraform 1.5."""
    return engine.resolve(environ).path


class TerraformRunner:
    """Terraform in one working folder, with one data folder (TF_DATA_DIR) per state.

    A separate data folder per environment lets dev and prod keep their own backend and providers
    without `init -reconfigure` flip-flopping one shared .terraform/ folder.
    """

    def __init__(
        self,
        working_dir: Path,
        *,
        binary: str | None = None,
        data_dir: Path | None = None,
        env: Mapping[str, str] | None = None,
        stream: bool = True,
        timeout: float | None = None,
    ) -> None:
        if not working_dir.is_dir():
            raise SagespecError(
                f"Terraform folder {working_dir} does not exist",
                "pass --terraform-dir, or run from the repository root",
            )
        self.working_dir = working_dir
        self.data_dir = data_dir
        self.stream = stream
        self._env = self._environment(env)
        self.binary = binary or find_terraform(self._env)
        self.timeout = timeout if timeout is not None else _timeout_from(self._env)
        self._tf = Terraform(working_dir=str(working_dir), terraform_bin_path=self.binary)

    def _environment(self, extra: Mapping[str, str] | None) -> dict[str, str]:
        env = dict(os.environ)
        # No version check phone-home, no prompts, terse "next step" texts (we print our own).
        env.update({"CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1", "TF_INPUT": "0"})
        if self.data_dir is not None:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            env["TF_DATA_DIR"] = str(self.data_dir)
        env.update(extra or {})
        return env

    # ---- commands -------------------------------------------------------------------------------

    def version(self) -> str:
        """ "1.15.5" (Terraform and OpenTofu both answer `version -json` since 0.13)."""
        result = self.run("version", json=IsFlagged, stream=False)
        try:
            return str(json.loads(result.stdout)["terraform_version"])
        except (ValueError, KeyError, TypeError):
            return "unknown"

    def init(self, backend_config: Path | None = None, *, backend: bool = True) -> Result:
        """`init -reconfigure`: the backend is exactly the one given, never a migrated older one."""
        result = self.run(
            "init",
            check=False,
            input=False,
            no_color=IsFlagged,
            reconfigure=IsFlagged,
            backend=backend,
            backend_config=str(backend_config) if backend_config else None,
        )
        if result.returncode != 0:
            if _mentions(result, REGISTRY_ERRORS):
                raise TerraformFailed(
                    _headline("terraform init could not install providers", result), REGISTRY_HINT, result
                )
            raise TerraformFailed(
                _headline("terraform init failed", result),
                _credential_hint(result) or "check the env's backend.hcl and the versions.tf constraints",
                result,
            )
        return result

    def plan(self, out: Path, var_files: Sequence[Path] = (), *, destroy: bool = False) -> PlanResult:
        """`plan -out`: -detailed-exitcode tells "no changes" (0) from "changes" (2)."""
        result = self.run(
            "plan",
            check=False,
            input=False,
            no_color=IsFlagged,
            detailed_exitcode=IsFlagged,
            destroy=IsFlagged if destroy else None,
            var_file=[str(p) for p in var_files],
            out=str(out),
        )
        if result.returncode not in (0, 2):
            raise TerraformFailed(
                _headline("terraform plan failed", result),
                _credential_hint(result) or "fix the errors above; nothing was changed",
                result,
            )
        return PlanResult(**vars(result), has_changes=result.returncode == 2)

    def show_json(self, plan: Path) -> dict[str, Any]:
        result = self.run("show", str(plan), json=IsFlagged, no_color=IsFlagged, stream=False)
        try:
            data = json.loads(result.stdout)
        except ValueError as exc:
            raise TerraformFailed(
                f"terraform show -json printed no JSON: {exc}", "is this a Terraform >= 0.12 binary?", result
            ) from exc
        if not isinstance(data, dict):
            raise TerraformFailed("terraform show -json printed no JSON object", None, result)
        return data

    def apply(self, plan: Path) -> Result:
        """Apply exactly a saved plan: no variables, no approval prompt (a saved plan never asks)."""
        return self.run(
            "apply",
            str(plan),
            input=False,
            no_color=IsFlagged,
            failure_hint="some changes may have been applied; run the plan again to see what remains",
        )

    # ---- process --------------------------------------------------------------------------------

    def argv(self, command: str, *args: str, **options: Any) -> list[str]:
        """python-terraform's conventions: option_name=value -> -option-name=value, IsFlagged -> -flag,
        True/False -> =true/=false, None -> left out, list -> the option repeated."""
        return [str(part) for part in self._tf.generate_cmd_string(command, *args, **options)]

    def run(
        self,
        command: str,
        *args: str,
        check: bool = True,
        stream: bool | None = None,
        failure_hint: str | None = None,
        **options: Any,
    ) -> Result:
        if any(isinstance(value, dict) for value in options.values()):
            # python-terraform turns dicts into temp var files that only its cmd() cleans up
            raise TypeError("pass variables as var files, not dicts")
        argv = self.argv(command, *args, **options)
        result = _execute(
            argv, self.working_dir, self._env, self.stream if stream is None else stream, self.timeout
        )
        if result.timed_out:
            raise TerraformFailed(
                f"terraform {command} did not finish within {self.timeout:g} s and was stopped",
                failure_hint or f"raise or unset {TIMEOUT_ENV}",
                result,
            )
        if check and result.returncode != 0:
            hint = _credential_hint(result) or failure_hint
            raise TerraformFailed(_headline(f"terraform {command} failed", result), hint, result)
        return result


def _mentions(result: Result, markers: Sequence[str]) -> bool:
    text = result.stdout + result.stderr
    return any(marker in text for marker in markers)


def _credential_hint(result: Result) -> str | None:
    return CREDENTIAL_HINT if _mentions(result, CREDENTIAL_ERRORS) else None


def _timeout_from(env: Mapping[str, str]) -> float | None:
    raw = env.get(TIMEOUT_ENV)
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise SagespecError(
            f"{TIMEOUT_ENV}={raw!r} is not a number of seconds", f"fix or unset {TIMEOUT_ENV}"
        ) from None


def _headline(what: str, result: Result) -> str:
    errors = result.errors
    detail = "; ".join(e.removeprefix("Error: ") for e in errors[:3]) or _last_line(result)
    return f"{what} (exit {result.returncode}): {detail}" if detail else f"{what} (exit {result.returncode})"


def _last_line(result: Result) -> str:
    lines = [line.strip() for line in (result.stderr or result.stdout).splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _execute(
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
            f"check that it is an executable Terraform binary, or set {BINARY_ENV}",
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
