"""Regenerate scripts/sagespec/terraform/schemas/replace_rules.json: which attribute changes force a new
resource, for every resource type the committed provider schemas keep.

- aws: the ForceNew / RequiresReplace facts read from hashicorp/terraform-provider-aws, each cited, in
  tools/replace_rules_aws.json (hand-written: no offline copy of the Go source exists to parse);
- awscc: the `createOnlyProperties` of the CloudFormation resource schema behind each awscc type, read
  here from the cfn-lint package's bundled schemas (us-east-1) and mapped to snake_case paths.

Every path is checked against the committed schema; `in_place` is every other configurable path.
Usage: python tools/replace_rules.py [--out PATH]   (make provider-schemas runs it)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SCHEMA_DIR = REPO / "scripts" / "sagespec" / "terraform" / "schemas"
AWS_FACTS = Path(__file__).resolve().parent / "replace_rules_aws.json"
CFN_REGION = "us-east-1"

Json = dict[str, Any]

SEMANTICS: Json = {
    "path_syntax": (
        "Dotted from the resource's top level; `*` stands for any element of a list/set block or nested "
        "attribute and any map key (production_variants.*.instance_type)."
    ),
    "sdkv2": (
        "terraform-plugin-sdk/v2 ForceNew. A listed leaf forces replacement when old != new, with null and "
        'the zero value ("", 0, false, empty collection) equal, and when its new value is unknown at plan '
        "time. A listed list/set/map of primitives forces replacement on any element change. A listed block "
        "forces replacement only when its element count changes (added or removed); fields under it force "
        "replacement only when listed themselves. On replacement the provider plans from an empty prior "
        "state: Optional+Computed and Computed attributes not set in the configuration become unknown."
    ),
    "framework": (
        "terraform-plugin-framework RequiresReplace: replacement when the resource is planned for update "
        "and the planned value differs from the state (null and zero differ); never on create or destroy."
    ),
    "cloudformation": (
        "awscc (framework, generated from CloudFormation): a createOnlyProperties path carries "
        "RequiresReplace; every other property updates in place through Cloud Control UpdateResource."
    ),
    "requires_replace": (
        "The stand-in returns, as PlanResourceChange.requires_replace, the attribute paths of the change "
        "that match a force_new path (and `region` per provider_rules)."
    ),
    "sources": {
        "sdkv2": {
            "repo": "hashicorp/terraform-plugin-sdk",
            "path": "helper/schema/schema.go",
            "evidence": (
                "diffList/diffSet: a block's ForceNew is set only on the count key (k.#); primitive elements "
                "copy the parent's ForceNew (t2.ForceNew = schema.ForceNew). schemaMap.Diff: if "
                "result.RequiresNew(), d.state = nil and the diff is computed again (store ids 57785011, "
                "14193719)"
            ),
        },
        "framework": {
            "repo": "hashicorp/terraform-plugin-framework",
            "path": "resource/schema/stringplanmodifier/requires_replace.go",
            "evidence": "RequiresReplace: planned for update and plan value != state value",
        },
    },
}


def load_schema(provider: str) -> Json:
    loaded: Json = json.loads((SCHEMA_DIR / f"{provider}.json").read_text(encoding="utf-8"))
    return loaded


def schema_paths(block: Json, prefix: str = "") -> dict[str, bool]:
    """Every path of a block -> whether it is configurable (not computed-only). Elements of list, set
    and map nesting are `*`; a single-nested object's fields follow its name directly."""
    paths: dict[str, bool] = {}
    for name, attr in block.get("attributes", {}).items():
        path = prefix + name
        paths[path] = bool(attr.get("optional") or attr.get("required"))
        if "nested_type" in attr:
            star = "." if attr["nested_type"]["nesting_mode"] == "single" else ".*."
            paths.update(schema_paths(attr["nested_type"], path + star))
    for name, block_type in block.get("block_types", {}).items():
        path = prefix + name
        paths[path] = True
        star = "." if block_type["nesting_mode"] == "single" else ".*."
        paths.update(schema_paths(block_type["block"], path + star))
    return paths


def expand(patterns: list[str], paths: dict[str, bool], where: str) -> list[str]:
    """`x.**` -> every configurable path under x; anything else must be a configurable path itself."""
    out: list[str] = []
    for pattern in patterns:
        if pattern.endswith(".**"):
            base = pattern[: -len("**")]  # "x." : children are "x.*.y" (list/set) or "x.y" (single)
            below = [p for p, conf in paths.items() if conf and p.startswith(base)]
            if not below:
                raise SystemExit(f"{where}: `{pattern}` matches no configurable path in the schema")
            out += below
        elif pattern not in paths:
            raise SystemExit(f"{where}: `{pattern}` is not a path of the committed schema")
        elif not paths[pattern]:
            raise SystemExit(f"{where}: `{pattern}` is computed-only: it cannot force a new resource")
        else:
            out.append(pattern)
    return sorted(dict.fromkeys(out), key=_depth_then_name)


def _depth_then_name(path: str) -> tuple[int, str]:
    return path.count("."), path


def in_place(paths: dict[str, bool], force_new: list[str]) -> list[str]:
    """Configurable paths not forced, leaving out the provider-wide `region` and Terraform's `id`."""
    forced = set(force_new)
    rest = [p for p, conf in paths.items() if conf and p not in forced and p not in ("region", "id")]
    return sorted(rest, key=_depth_then_name)


def aws_rules(schema: Json, facts: Json) -> Json:
    resources: Json = {}
    for tf_type, block in sorted(schema["resource_schemas"].items()):
        fact = facts["resources"].get(tf_type)
        if fact is None:
            raise SystemExit(
                f"{AWS_FACTS.name}: no facts for {tf_type}, which the schemas keep: read its Go source"
            )
        paths = schema_paths(block["block"])
        where = f"{AWS_FACTS.name}: {tf_type}"
        unverified: Json = {}
        assumed: list[str] = []
        for pattern, treatment in fact.get("unverified", {}).items():
            for path in expand([pattern], paths, f"{where} unverified"):
                unverified[path] = treatment
                if treatment.startswith("force_new"):
                    assumed.append(path)
        force_new = sorted(set(expand(fact["force_new"], paths, where)) | set(assumed), key=_depth_then_name)
        entry: Json = {
            "sdk": fact["sdk"],
            "force_new": force_new,
            "in_place": in_place(paths, force_new),
            "region_rule": "region" in paths,
            "source": fact["source"],
        }
        if unverified:
            entry["unverified"] = unverified
        if fact.get("notes"):
            entry["notes"] = fact["notes"]
        resources[tf_type] = entry
    return {
        "address": schema["_source"]["provider"],
        "version": schema["_source"]["provider_version"],
        "provider_rules": facts["provider_rules"],
        "resources": resources,
    }


def cfn_schemas() -> tuple[Path, str]:
    """The cfn-lint package's resource schema folder and its version."""
    try:
        dist = metadata.distribution("cfn-lint")
    except metadata.PackageNotFoundError:
        raise SystemExit("cfn-lint is not installed: run `make setup` (a dev dependency)") from None
    root = Path(str(dist.locate_file("cfnlint/data/schemas")))
    if not root.is_dir():
        raise SystemExit(f"cfn-lint {dist.version}: no schema folder at {root}")
    return root, dist.version


def cfn_type_of(index: dict[str, str], tf_type: str) -> str:
    """awscc_sagemaker_inference_component -> AWS::SageMaker::InferenceComponent, via cfn-lint's index."""
    wanted = tf_type.removeprefix("awscc_").replace("_", "")
    for cfn_type in index:
        parts = cfn_type.split("::")
        if len(parts) == 3 and (parts[1] + parts[2]).lower() == wanted:
            return cfn_type
    raise SystemExit(f"{tf_type}: no CloudFormation type in cfn-lint's {CFN_REGION} index")


def snake(name: str) -> str:
    """CloudFormation property names to awscc attribute names (NumberOfCpuCoresRequired ->
    number_of_cpu_cores_required); the result is checked against the schema by the caller."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def cfn_path(pointer: str, paths: dict[str, bool], where: str) -> str:
    """`/properties/Specifications/*/Container/Image` -> `specifications.*.container.image`: CloudFormation
    pointers put `*` exactly where array elements are, as our path syntax does."""
    parts = pointer.removeprefix("/properties/").split("/")
    path = ".".join(part if part == "*" else snake(part) for part in parts)
    if path not in paths:
        raise SystemExit(f"{where}: {pointer} maps to `{path}`, which the awscc schema does not have")
    return path


def awscc_rules(schema: Json) -> Json:
    root, version = cfn_schemas()
    index: dict[str, str] = json.loads(
        (root / "providers" / f"{CFN_REGION}.json").read_text(encoding="utf-8")
    )
    date = json.loads((root / "version.json").read_text(encoding="utf-8")).get("schema_date")
    resources: Json = {}
    for tf_type, block in sorted(schema["resource_schemas"].items()):
        cfn_type = cfn_type_of(index, tf_type)
        cfn: Json = json.loads((root / "resources" / f"{index[cfn_type]}.json").read_text(encoding="utf-8"))
        paths = schema_paths(block["block"])
        create_only = list(cfn.get("createOnlyProperties", []))
        force_new = sorted({cfn_path(p, paths, tf_type) for p in create_only}, key=_depth_then_name)
        resources[tf_type] = {
            "sdk": "framework",
            "cloudformation_type": cfn_type,
            "create_only_properties": create_only,
            "force_new": force_new,
            "in_place": in_place(paths, force_new),
            "region_rule": "region" in paths,
            "write_only_properties": cfn.get("writeOnlyProperties", []),
            "notes": (
                "No createOnlyProperties: every change, endpoint_name and inference_component_name included, "
                "is an in-place Cloud Control update."
                if not create_only
                else "createOnlyProperties carry RequiresReplace; the rest updates in place."
            ),
            "source": {
                "package": "cfn-lint",
                "version": version,
                "schema_date": date,
                "path": f"cfnlint/data/schemas/resources/{index[cfn_type]}.json ({CFN_REGION})",
            },
        }
    return {
        "address": schema["_source"]["provider"],
        "version": schema["_source"]["provider_version"],
        "resources": resources,
    }


def build() -> Json:
    facts: Json = json.loads(AWS_FACTS.read_text(encoding="utf-8"))
    return {
        "format": "sagespec.replace_rules/v1",
        "_source": {
            "script": "tools/replace_rules.py (make provider-schemas)",
            "aws_facts": f"tools/{AWS_FACTS.name}",
        },
        "semantics": SEMANTICS,
        "providers": {
            "aws": aws_rules(load_schema("aws"), facts),
            "awscc": awscc_rules(load_schema("awscc")),
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=SCHEMA_DIR / "replace_rules.json")
    args = parser.parse_args(argv)
    text = json.dumps(build(), indent=1) + "\n"
    tmp = args.out.with_suffix(".json.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.out)  # atomic: a reader never sees half a file
    print(f"{args.out}: written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
