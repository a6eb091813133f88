"""The Terraform tree the static checks read: where it is, which rendered files to check it with,
and the guard that keeps a real-tree check from passing on a missing tree."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from tests.helpers import hcl_lint

REPO = hcl_lint.REPO
HCL_FIXTURES = REPO / "tests" / "fixtures" / "hcl"
GOOD = HCL_FIXTURES / "good"
# every env's committed render, plus the hand-made files that reach every variable type
ENV_FILES = sorted(REPO.glob("envs/*/rendered.tfvars.json")) + sorted(
    REPO.glob("tests/fixtures/rendered/*.tfvars.json")
)
ENV_IDS = [p.relative_to(REPO).as_posix() for p in ENV_FILES]


def load_tool(name: str) -> ModuleType:
    """tools/ is not a package: load a tool script as a module."""
    spec = importlib.util.spec_from_file_location(f"tools_{name}", REPO / "tools" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def require_real_tree() -> None:
    """The real-tree checks must fail, not pass vacuously, while the HCL is missing."""
    missing = [] if any((REPO / "terraform").glob("*.tf")) else ["terraform/*.tf"]
    for name in hcl_lint.EXPECTED_MODULES:
        missing += [
            f"modules/{name}/{f}"
            for f in hcl_lint.MODULE_FILES
            if not (REPO / "modules" / name / f).is_file()
        ]
    assert not missing, "the Terraform tree is incomplete; missing:\n  " + "\n  ".join(missing)
