"""Generate the inputs/outputs tables of every modules/<name>/README.md from variables.tf and outputs.tf.

terraform-docs is not installable here, so this does its job with python-hcl2: the tables between
`<!-- BEGIN_TF_DOCS -->` and `<!-- END_TF_DOCS -->` are rewritten; everything else in the README is
kept. `--check` changes nothing and exits 1 when a README is stale (what CI and the tests run).

Usage: python tools/module_docs.py [--check] [--root DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import hcl2
from hcl2.utils import SerializationOptions

BEGIN, END = "<!-- BEGIN_TF_DOCS -->", "<!-- END_TF_DOCS -->"
REPO = Path(__file__).resolve().parent.parent


def _blocks(path: Path, kind: str) -> dict[str, dict[str, Any]]:
    """{name: body} of the labelled `kind` blocks (variable / output) in one file."""
    if not path.is_file():
        return {}
    parsed = hcl2.loads(
        path.read_text(encoding="utf-8"), serialization_options=SerializationOptions(with_comments=False)
    )
    found: dict[str, dict[str, Any]] = {}
    for entry in parsed.get(kind, []):
        for label, body in entry.items():
            found[label.strip('"')] = body
    return found


def _text(value: Any) -> str:
    """A python-hcl2 value as HCL-ish source text for a table cell."""
    if isinstance(value, str):
        if value.startswith("${") and value.endswith("}"):
            return value[2:-1]
        if len(value) >= 2 and value[0] == value[-1] == '"' and not value.startswith('"<<'):
            return value
        return value.strip('"')
    return json.dumps(value, separators=(", ", ": "))


def _description(body: dict[str, Any]) -> str:
    raw = body.get("description", "")
    text = raw[1:-1] if isinstance(raw, str) and raw[:1] == raw[-1:] == '"' else str(raw)
    if text.startswith("<<"):  # heredoc: drop the marker lines
        text = " ".join(line.strip() for line in text.split("\n")[1:-1])
    return re.sub(r'\\(["\\])', r"\1", text).replace("\\n", " ")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render(module_dir: Path) -> str:
    """The generated section (markers included) for one module folder."""
    variables = _blocks(module_dir / "variables.tf", "variable")
    outputs = _blocks(module_dir / "outputs.tf", "output")
    lines = [BEGIN, "## Inputs", ""]
    if variables:
        lines += [
            "| Name | Description | Type | Default | Required |",
            "|------|-------------|------|---------|:--------:|",
        ]
        for name, body in sorted(variables.items()):
            default = f"`{_cell(_text(body['default']))}`" if "default" in body else "n/a"
            type_text = f"`{_cell(_text(body['type']))}`" if "type" in body else "`any`"
            required = "no" if "default" in body else "yes"
            lines.append(f"| {name} | {_cell(_description(body))} | {type_text} | {default} | {required} |")
    else:
        lines.append("No inputs.")
    lines += ["", "## Outputs", ""]
    if outputs:
        lines += ["| Name | Description |", "|------|-------------|"]
        lines += [f"| {name} | {_cell(_description(body))} |" for name, body in sorted(outputs.items())]
    else:
        lines.append("No outputs.")
    return "\n".join([*lines, END])


def update(readme: str, section: str) -> str:
    """Replace the marked section, or append one when the README has no markers yet."""
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if pattern.search(readme):
        return pattern.sub(lambda _: section, readme, count=1)
    return readme.rstrip("\n") + ("\n\n" if readme.strip() else "") + section + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate module README inputs/outputs tables.")
    parser.add_argument("--check", action="store_true", help="exit 1 when a README is stale; change nothing")
    parser.add_argument("--root", type=Path, default=REPO, help="repository root (default: this repository)")
    args = parser.parse_args(argv)
    stale = []
    module_dirs = sorted(p for p in (args.root / "modules").glob("*") if p.is_dir() and any(p.glob("*.tf")))
    if not module_dirs:
        print(f"no modules under {args.root / 'modules'}", file=sys.stderr)
        return 1
    for module_dir in module_dirs:
        readme_path = module_dir / "README.md"
        current = (
            readme_path.read_text(encoding="utf-8") if readme_path.exists() else f"# {module_dir.name}\n"
        )
        wanted = update(current, render(module_dir))
        if wanted != current:
            stale.append(readme_path)
            if not args.check:
                readme_path.write_text(wanted, encoding="utf-8")
    verb = "stale" if args.check else "updated"
    for path in stale:
        print(f"{verb}: {path.relative_to(args.root) if path.is_relative_to(args.root) else path}")
    if args.check and stale:
        print("run `python tools/module_docs.py` to regenerate", file=sys.stderr)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
