"""Find the repository root: the nearest folder at or above the start that holds specs/ and envs/."""

from __future__ import annotations

from pathlib import Path

from .errors import SagespecError


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
