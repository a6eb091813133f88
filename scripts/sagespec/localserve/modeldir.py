"""The model directory as SageMaker unpacks model.tar.gz: weights at the top, the code folder as code/.

The layout comes from the packager itself (sagespec.artifacts.contents), so local serving and the uploaded
tarball cannot drift apart; files are symlinked, not copied, so big weights cost nothing.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from ..artifacts import contents
from ..errors import SagespecError
from ..layout import require_env
from ..spec.project import load_project

CODE_DIR = "code"


def model_spec(root: Path, name: str, env: str | None) -> dict[str, Any]:
    """The spec of kind Model `name`: as `env` sees it, or the base spec without an env."""
    project = load_project(root)
    sources = [s for s in project.by_kind("Model") if s.name == name]
    if not sources:
        known = ", ".join(sorted(s.name for s in project.by_kind("Model") if s.name)) or "none"
        raise SagespecError(f"no kind Model named {name!r} under specs/", f"known models: {known}")
    if env is not None:
        require_env(root, env)
    return sources[0].merged_spec(env or "")


def build(root: Path, spec: dict[str, Any], name: str) -> Path:
    """A scratch model directory for `spec` (the caller removes it)."""
    code = spec.get("code")
    if not code:
        raise SagespecError(
            f"{name} has no `code` folder: there is no inference.py to serve locally",
            "set `code: models/<name>/code` with an inference.py (model_fn, input_fn, predict_fn, output_fn)",
        )
    local = (spec.get("weights") or {}).get("local")
    weights = root / local["path"] if local else None
    hints = {
        "weights": "weights stay out of git: put the model files at spec.weights.local.path to serve it here",
        "code": "spec.code names the folder with inference.py; create it or fix the path",
    }
    for what, folder in (("weights", weights), ("code", root / code)):
        if folder is not None and not folder.is_dir():
            raise SagespecError(f"{folder.relative_to(root)}: no such folder ({what})", hints[what])
    target = Path(tempfile.mkdtemp(prefix=f"sagespec-serve-{name}-"))
    # the packager's own layout, so `serve` sees exactly the files the tarball would hold
    for arcname, path, _ in contents.files(weights, root / code):
        link = target / arcname
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(path.resolve(), link)
    if not (target / CODE_DIR).is_dir():
        (target / CODE_DIR).mkdir()
    return target
