"""code/requirements.txt installed into a scratch virtual environment, reused while it is unchanged.

The venv is built from this interpreter (same Python version), so its site-packages can be put on
sys.path ahead of sagespec's own: the user's pins win, as they would in the container.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

from ..caches import cache_folder
from ..errors import SagespecError

READY = ".sagespec-ready"


def cache_root() -> Path:
    return cache_folder("serve-venvs")


def site_packages(env_dir: Path) -> Path:
    purelib = sysconfig.get_path("purelib", vars={"base": str(env_dir), "platbase": str(env_dir)})
    return Path(purelib)


def install(requirements: Path) -> Path:
    """A venv holding `requirements`; returns its site-packages folder."""
    digest = hashlib.sha256(requirements.read_bytes() + sys.version.encode()).hexdigest()[:16]
    env_dir = cache_root() / digest
    if not (env_dir / READY).is_file():
        venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
        python = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
        result = subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "-q",
                "-r",
                str(requirements),
            ],
            capture_output=True,
            text=True,
            cwd=requirements.parent,
            check=False,
        )
        if result.returncode != 0:
            tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-8:])
            raise SagespecError(
                f"pip could not install {requirements.name} into {env_dir}:\n{tail}",
                "fix the requirements (or serve without --install-requirements)",
            )
        (env_dir / READY).write_text(digest)
    return site_packages(env_dir)


def activate(site: Path) -> None:
    sys.path.insert(0, str(site))
