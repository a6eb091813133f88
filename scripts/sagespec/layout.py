"""Repository paths: the root (the nearest folder at or above the start that holds specs/ and envs/)
and the environments under it."""

from __future__ import annotations

from pathlib import Path

from .errors import SagespecError
from .suggest import did_you_mean


def find_root(explicit: str | None = None, start: Path | None = None) -> Path:
    if explicit is not None:
        root = Path(explicit).resolve()
        if not (root / "specs").is_dir() or not (root / "envs").is_dir():
            raise SagespecError(
                f"--root {explicit}: no specs/ and envs/ folders there",
                "point --root at the sagespec repository",
            )
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "specs").is_dir() and (folder / "envs").is_dir():
            return folder
    raise SagespecError(
        f"no sagespec repository at or above {here} (a folder with specs/ and envs/)",
        "run from inside the repository, or pass --root DIR",
    )


def known_envs(root: Path) -> list[str]:
    """The environments of the repository: every envs/<env>/ that holds an env.yaml."""
    return sorted(p.parent.name for p in (root / "envs").glob("*/env.yaml"))


def require_env(root: Path, env: str) -> Path:
    """envs/<env>/ when that environment exists; otherwise a clear error naming the known ones."""
    check_env_name(env, known_envs(root))
    return root / "envs" / env


def check_env_name(env: str, known: list[str]) -> None:
    """Refuse an environment that is not one of `known` (a loaded project passes its own list)."""
    # membership, not a path test: `--env ../x` names no folder outside envs/
    if env not in known:
        listed = f"known environments: {', '.join(known) or 'none'}"
        raise SagespecError(
            f"unknown environment {env!r}: no envs/{env}/env.yaml", did_you_mean(env, known, listed)
        )


def rendered_path(root: Path, env: str) -> Path:
    """envs/<env>/rendered.tfvars.json: the one variable file Terraform reads for `env`."""
    return root / "envs" / env / "rendered.tfvars.json"
