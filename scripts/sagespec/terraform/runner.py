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
capturing it (`process.py`), and structured results. Every error is a SagespecError with a hint
(`failures.py`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from python_terraform import IsFlagged, Terraform

from ..errors import SagespecError
from . import engine
from .failures import REGISTRY_ERRORS, REGISTRY_HINT, TerraformFailed, credential_hint, headline, mentions
from .process import PlanResult, Result, execute

TIMEOUT_ENV = "SAGESPEC_TERRAFORM_TIMEOUT"  # seconds per command; unset: no limit


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
            if mentions(result, REGISTRY_ERRORS):
                raise TerraformFailed(
                    headline("terraform init could not install providers", result), REGISTRY_HINT, result
                )
            raise TerraformFailed(
                headline("terraform init failed", result),
                credential_hint(result) or "check the env's backend.hcl and the versions.tf constraints",
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
                headline("terraform plan failed", result),
                credential_hint(result) or "fix the errors above; nothing was changed",
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
        result = execute(
            argv, self.working_dir, self._env, self.stream if stream is None else stream, self.timeout
        )
        if result.timed_out:
            raise TerraformFailed(
                f"terraform {command} did not finish within {self.timeout:g} s and was stopped",
                failure_hint or f"raise or unset {TIMEOUT_ENV}",
                result,
            )
        if check and result.returncode != 0:
            hint = credential_hint(result) or failure_hint
            raise TerraformFailed(headline(f"terraform {command} failed", result), hint, result)
        return result


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
