"""Regenerate scripts/sagespec/terraform/schemas/{aws,awscc}.json from the cdktn provider wheels.

No Terraform registry is reachable where sagespec's tests run, so `terraform providers schema -json`
cannot be asked. The PyPI packages cdktn-provider-aws 25.8.1 (hashicorp/aws 6.69.1) and
cdktn-provider-awscc 1.8.0 (hashicorp/awscc 1.106.0) are generated from that very output, and the
generated JavaScript in their jsii tarball (`<pkg>/_jsii/*.jsii.tgz`, `package/lib/<type>/index.js`)
still carries it: see tools/cdktn_js.py for how it is read. This script picks the types sagespec
needs, applies tools/provider_schema_overrides.json (facts the code does not carry, each with its
source) and writes each provider's value of
`terraform providers schema -json` under `provider_schemas["registry.terraform.io/hashicorp/<p>"]`,
trimmed to those types, plus `_source`.

Usage: python tools/extract_provider_schemas.py [--out-dir DIR] WHEEL...   (make provider-schemas)
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cdktn_js

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "scripts" / "sagespec" / "terraform" / "schemas"
OVERRIDES = Path(__file__).resolve().parent / "provider_schema_overrides.json"
PACKAGES = {"aws": ("cdktn-provider-aws", "25.8.1"), "awscc": ("cdktn-provider-awscc", "1.8.0")}

# Types kept even when terraform/ and modules/ do not declare them today: the ones the modules are
# designed around (issue 8) and a few the stand-ins are likely to meet next. Anything the HCL declares
# is added on top (an aws one also needs its ForceNew facts in tools/replace_rules_aws.json).
BASE_RESOURCES = (
    "aws_iam_role",
    "aws_iam_role_policy",
    "aws_s3_bucket",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_lifecycle_configuration",
    "aws_sagemaker_model",
    "aws_sagemaker_endpoint_configuration",
    "aws_sagemaker_endpoint",
    "aws_appautoscaling_target",
    "aws_appautoscaling_policy",
    "aws_cloudwatch_metric_alarm",
    "awscc_sagemaker_inference_component",
)
BASE_DATA_SOURCES = (
    "aws_iam_policy_document",
    "aws_partition",
    "aws_secretsmanager_secret_version",
    "aws_caller_identity",
    "aws_region",
    "aws_s3_object",
    "aws_s3_bucket",
)
EXTRA_RESOURCES = ("aws_iam_role_policy_attachment",)
EXTRA_DATA_SOURCES = ("aws_kms_key", "aws_iam_role")

Json = dict[str, Any]


def types_declared(repo: Path) -> tuple[set[str], set[str]]:
    """Resource and data source types of terraform/ and modules/ (block headers only: a regex)."""
    resources: set[str] = set()
    data: set[str] = set()
    header = re.compile(r'^\s*(resource|data)\s+"([\w-]+)"', re.M)
    for folder in ("terraform", "modules"):
        for tf in sorted((repo / folder).rglob("*.tf")):
            for kind, name in header.findall(tf.read_text(encoding="utf-8")):
                (resources if kind == "resource" else data).add(name)
    return resources, data


def lib_dir(provider: str, tf_type: str, data: bool) -> str:
    """`aws_sagemaker_model` -> `sagemaker-model`; data sources are `data-aws-...`; the provider
    block is `provider`. tfResourceType inside the file is checked against the type."""
    if tf_type == provider:
        return "provider"
    if data:
        return "data-" + tf_type.replace("_", "-")
    return tf_type[len(provider) + 1 :].replace("_", "-")


def read_modules(wheel: Path, wanted: set[str]) -> dict[str, tuple[str, str]]:
    """lib folder -> (index.js, index.d.ts) for the wanted folders, in one pass over the tarball."""
    with zipfile.ZipFile(wheel) as zipped:
        names = [n for n in zipped.namelist() if re.search(r"/_jsii/.*\.jsii\.tgz$", n)]
        if not names:
            raise SystemExit(f"{wheel}: no _jsii/*.jsii.tgz inside: not a cdktn provider wheel")
        tgz = zipped.read(names[0])
    found: dict[str, dict[str, str]] = {}
    with tarfile.open(fileobj=io.BytesIO(tgz), mode="r:gz") as tar:
        for member in tar:
            match = re.fullmatch(r"package/lib/([\w-]+)/index\.(js|d\.ts)", member.name)
            if match and match.group(1) in wanted:
                handle = tar.extractfile(member)
                assert handle is not None
                found.setdefault(match.group(1), {})[match.group(2)] = handle.read().decode("utf-8")
    missing = sorted(wanted - set(found))
    if missing:
        raise SystemExit(f"{wheel}: no package/lib/{{{','.join(missing)}}}/index.js: unknown type names?")
    return {k: (v["js"], v.get("d.ts", "")) for k, v in found.items()}


def wheel_version(wheel: Path) -> tuple[str, str]:
    match = re.fullmatch(r"(cdktn_provider_\w+?)-([\d.]+)-.*\.whl", wheel.name)
    if not match:
        raise SystemExit(f"{wheel}: not a wheel file name")
    return match.group(1).replace("_", "-"), match.group(2)


def provider_version(js: str) -> str:
    match = re.search(r"registry\.terraform\.io/providers/hashicorp/\w+/([\d.]+)/docs", js)
    if match is None:
        raise SystemExit("cannot find the provider version in the provider module's docs links")
    return match.group(1)


def apply_overrides(block: Json, facts: Json, where: str) -> None:
    """facts: {"a.b": {"sensitive": true, ...}} with dotted paths through blocks and nested types."""
    for path, change in facts.items():
        node: Json = block
        *parents, leaf = path.split(".")
        for part in parents:
            if part in node.get("block_types", {}):
                node = node["block_types"][part]["block"]
            elif "nested_type" in node.get("attributes", {}).get(part, {}):
                node = node["attributes"][part]["nested_type"]
            else:
                raise SystemExit(f"{OVERRIDES.name}: {where}.{path}: no `{part}` in the schema")
        target = node.get("attributes", {}).get(leaf) or node.get("block_types", {}).get(leaf)
        if target is None:
            raise SystemExit(f"{OVERRIDES.name}: {where}.{path}: not in the schema")
        for key, value in change.items():
            if key in ("source", "checked"):  # where the fact comes from, not part of it
                continue
            # A block's own flags live in its `block`; item counts on the block type.
            holder = target["block"] if "block" in target and key in ("deprecated", "sensitive") else target
            holder[key] = value


def build(provider: str, wheel: Path, resources: set[str], data: set[str], overrides: Json) -> Json:
    wanted = {lib_dir(provider, provider, False)}
    wanted |= {lib_dir(provider, t, False) for t in resources}
    wanted |= {lib_dir(provider, t, True) for t in data}
    sources = read_modules(wheel, wanted)
    nested_attributes = provider == "awscc"
    facts = overrides.get(provider, {})

    def schema(tf_type: str, is_data: bool, section: str) -> Json:
        js, dts = sources[lib_dir(provider, tf_type, is_data)]
        module = cdktn_js.parse_module(js)
        if module.resource_type != tf_type:
            raise SystemExit(f"{tf_type}: the module declares {module.resource_type}")
        block = cdktn_js.BlockBuilder(module, nested_attributes=nested_attributes, dts=dts).top()
        if section == "provider":
            block["attributes"].pop("alias")  # cdktn's meta-argument, Terraform's own, not the schema's
        entry = facts.get(section, {}).get(tf_type, {})
        apply_overrides(block, entry.get("paths", {}), f"{provider}.{section}.{tf_type}")
        default = facts.get("default_versions", {}).get(section, 0)
        return {"block": block, "version": entry.get("version", default)}

    package, version = wheel_version(wheel)
    return {
        "_source": {
            "package": package,
            "version": version,
            "provider": f"registry.terraform.io/hashicorp/{provider}",
            "provider_version": provider_version(sources["provider"][0]),
            "script": "tools/extract_provider_schemas.py (make provider-schemas)",
            "overrides": f"tools/{OVERRIDES.name}",
        },
        "provider": schema(provider, False, "provider"),
        "resource_schemas": {t: schema(t, False, "resource_schemas") for t in sorted(resources)},
        "data_source_schemas": {t: schema(t, True, "data_source_schemas") for t in sorted(data)},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wheels", nargs="+", type=Path, help="cdktn provider wheels (aws and awscc)")
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    by_provider: dict[str, Path] = {}
    for wheel in args.wheels:
        package, version = wheel_version(wheel)
        provider = package.removeprefix("cdktn-provider-")
        if PACKAGES.get(provider) != (package, version):
            raise SystemExit(f"{wheel.name}: expected one of {sorted(PACKAGES.values())}")
        by_provider[provider] = wheel
    declared_resources, declared_data = types_declared(REPO)
    resources = set(BASE_RESOURCES) | set(EXTRA_RESOURCES) | declared_resources
    data = set(BASE_DATA_SOURCES) | set(EXTRA_DATA_SOURCES) | declared_data
    overrides = json.loads(OVERRIDES.read_text(encoding="utf-8"))
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for provider, wheel in sorted(by_provider.items()):
        mine = {t for t in resources if t.startswith(provider + "_")}
        mine_data = {t for t in data if t.startswith(provider + "_")}
        schema = build(provider, wheel, mine, mine_data, overrides)
        out = args.out_dir / f"{provider}.json"
        text = json.dumps(schema, indent=1, sort_keys=True) + "\n"
        tmp = out.with_suffix(".json.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)  # atomic: a reader never sees half a schema
        print(
            f"{out.relative_to(REPO) if out.is_relative_to(REPO) else out}: "
            f"{len(mine)} resources, {len(mine_data)} data sources"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
