"""Regenerate tests/fixtures/provider_schemas.json from the jsii assemblies of the cdktn provider packages.

No Terraform registry is reachable where the tests run, so `terraform providers schema` cannot be used.
The PyPI packages cdktn-provider-aws and cdktn-provider-awscc are generated from that very schema and
ship it as a jsii assembly (JSON, inside `<pkg>/_jsii/*.jsii.tgz`). This script reads the assemblies
without importing the packages (importing would start a node runtime) and writes a trimmed fixture
with only the resource, data source and provider types the repository needs.

How jsii encodes the Terraform schema (checked against the aws provider docs):
- each resource/data source is a class whose docs link to `.../docs/{resources,data-sources}/x <tf_type>`;
  its initializer's `config` parameter is a datatype interface holding every configurable argument;
- a property is a *block* when its docs summary reads "<hcl_name> block."; anything else is an argument
  (awscc's nested objects are attributes, written `x = { ... }`, so they carry no such summary);
- a block typed as a bare struct has max_items 1; a block typed `IResolvable | Struct[]` is a list/set
  block with no upper bound recorded (jsii drops MaxItems > 1);
- `optional` absent means required (for blocks: min_items >= 1);
- read-only (computed-only) attributes exist only as getters on the class / its OutputReference,
  so `computed: true` marks computed-only attributes; jsii does not distinguish optional+computed.

Usage: python tools/extract_provider_schemas.py [--out PATH] [SOURCE ...]
SOURCE is a wheel, an installed package folder, a .jsii.tgz or a .jsii file; without SOURCE the
installed distributions cdktn-provider-aws and cdktn-provider-awscc are read (make provider-schemas).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import sys
import tarfile
import zipfile
from collections import Counter
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "tests" / "fixtures" / "provider_schemas.json"
DISTRIBUTIONS = ("cdktn-provider-aws", "cdktn-provider-awscc")

# The types the modules are expected to use. Any other type found in terraform/ or modules/ is added
# automatically, so a new resource in the HCL only needs `make provider-schemas`.
RESOURCES = (
    "aws_iam_role",
    "aws_iam_role_policy",
    "aws_iam_policy",
    "aws_iam_role_policy_attachment",
    "aws_s3_bucket",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_logging",
    "aws_s3_bucket_lifecycle_configuration",
    "aws_sagemaker_model",
    "aws_sagemaker_endpoint_configuration",
    "aws_sagemaker_endpoint",
    "aws_appautoscaling_target",
    "aws_appautoscaling_policy",
    "aws_cloudwatch_metric_alarm",
    "awscc_sagemaker_inference_component",
)
DATA_SOURCES = (
    "aws_iam_policy_document",
    "aws_s3_bucket",
    "aws_secretsmanager_secret_version",
    "aws_caller_identity",
    "aws_partition",
    "aws_region",
)
PROVIDERS = ("aws", "awscc")

Json = dict[str, Any]
_LINK = re.compile(
    r"\{@link https://registry\.terraform\.io/providers/([\w-]+/[\w-]+)/([\w.\-]+)/docs"
    r"(?:/(resources|data-sources)/\w+)? ([\w]+)\}"
)
_FRAGMENT = re.compile(r"#(\w+) \w+#\w+\}")
_BLOCK_SUMMARY = re.compile(r"^(\w+) block\.")


# --- reading the assemblies ---------------------------------------------------------------------------


def _from_tgz(data: bytes) -> Json:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:

        def member(name: str) -> bytes:
            handle = tar.extractfile(f"package/{name}")
            if handle is None:
                raise SystemExit(f"{name} missing from the jsii tarball")
            return handle.read()

        assembly: Json = json.loads(member(".jsii"))
        # Newer jsii writes a small redirect file next to a gzipped assembly.
        if assembly.get("schema") == "jsii/file-redirect":
            raw = member(assembly["filename"])
            if assembly.get("compression") == "gzip":
                raw = gzip.decompress(raw)
            assembly = json.loads(raw)
        return assembly


def load_assembly(source: Path) -> Json:
    """A .jsii, .jsii.tgz, wheel or installed package folder -> the parsed assembly."""
    if source.is_dir():
        tgzs = sorted(source.glob("_jsii/*.jsii.tgz")) or sorted(source.glob("**/_jsii/*.jsii.tgz"))
        if not tgzs:
            raise SystemExit(f"{source}: no _jsii/*.jsii.tgz inside")
        return _from_tgz(tgzs[0].read_bytes())
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            names = [n for n in wheel.namelist() if re.search(r"/_jsii/.*\.jsii\.tgz$", n)]
            if not names:
                raise SystemExit(f"{source}: no _jsii/*.jsii.tgz inside")
            return _from_tgz(wheel.read(names[0]))
    if source.name.endswith(".tgz"):
        return _from_tgz(source.read_bytes())
    raw = source.read_bytes()
    loaded: Json = json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)
    return loaded


def installed_sources() -> list[Path]:
    found = []
    for name in DISTRIBUTIONS:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise SystemExit(
                f"{name} is not installed: run `make provider-schemas` or pass wheel paths"
            ) from None
        tgz = [f for f in dist.files or [] if str(f).endswith(".jsii.tgz")]
        if not tgz:
            raise SystemExit(f"{name}: no .jsii.tgz in the installed files")
        found.append(Path(str(dist.locate_file(tgz[0]))))
    return found


# --- schema conversion ----------------------------------------------------------------------------------


def snake(camel: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", camel).lower()


class Assembly:
    """Index of one provider assembly: terraform type name -> class, plus schema conversion."""

    def __init__(self, raw: Json) -> None:
        self.types: dict[str, Json] = raw["types"]
        self.assembly = str(raw["name"])
        self.package = str(raw.get("targets", {}).get("python", {}).get("distName", raw["name"]))
        self.package_version = str(raw["version"])
        self.fingerprint = str(raw.get("fingerprint", ""))
        self.resources: dict[str, str] = {}
        self.data_sources: dict[str, str] = {}
        self.providers: dict[str, str] = {}
        versions: Counter[tuple[str, str]] = Counter()
        for fqn, cls in self.types.items():
            base = cls.get("base")
            match = _LINK.search(cls.get("docs", {}).get("summary", ""))
            if not match or base not in (
                "cdktn.TerraformResource",
                "cdktn.TerraformDataSource",
                "cdktn.TerraformProvider",
            ):
                continue
            versions[(match.group(1), match.group(2))] += 1
            table = {
                "cdktn.TerraformResource": self.resources,
                "cdktn.TerraformDataSource": self.data_sources,
                "cdktn.TerraformProvider": self.providers,
            }[base]
            table[match.group(4)] = fqn
        (self.provider_source, self.provider_version), _ = versions.most_common(1)[0]

    def config_fqn(self, class_fqn: str) -> str:
        params = self.types[class_fqn]["initializer"]["parameters"]
        return str(next(p for p in params if p["name"] == "config")["type"]["fqn"])

    def type_schema(self, class_fqn: str) -> Json:
        block = self.block(self.config_fqn(class_fqn))
        self._add_computed(block, class_fqn)
        return block

    def block(self, struct_fqn: str) -> Json:
        attributes: Json = {}
        blocks: Json = {}
        for prop in self._properties(struct_fqn):
            name = self._hcl_name(prop)
            required = not prop.get("optional", False)
            summary = prop.get("docs", {}).get("summary", "")
            if _BLOCK_SUMMARY.match(summary):
                blocks[name] = self._block_type(prop["type"], required)
            else:
                attributes[name] = self._attribute(prop["type"], required)
        out: Json = {"attributes": dict(sorted(attributes.items()))}
        if blocks:
            out["blocks"] = dict(sorted(blocks.items()))
        return out

    def _properties(self, struct_fqn: str) -> list[Json]:
        struct = self.types[struct_fqn]
        props = list(struct.get("properties", []))
        for parent in struct.get("interfaces", []):
            if not parent.startswith("cdktn."):  # cdktn.TerraformMetaArguments = count, for_each, ...
                props += self._properties(parent)
        return props

    @staticmethod
    def _hcl_name(prop: Json) -> str:
        docs = prop.get("docs", {})
        match = _FRAGMENT.search(docs.get("summary", "") + " " + docs.get("remarks", ""))
        return match.group(1) if match else snake(prop["name"])

    def _block_type(self, jtype: Json, required: bool) -> Json:
        inner = _strip_resolvable(jtype)
        if "fqn" in inner:
            nesting, struct = "single", inner["fqn"]
        else:
            nesting, struct = "list", inner["collection"]["elementtype"]["fqn"]
        block = self.block(struct)
        self._add_computed(block, struct + "OutputReference")
        return {
            "nesting": nesting,
            "min_items": 1 if required else 0,
            "max_items": 1 if nesting == "single" else None,
            "block": block,
        }

    def _attribute(self, jtype: Json, required: bool) -> Json:
        attr: Json = {"type": self._type_expr(jtype), "required": required, "optional": not required}
        inner = _strip_resolvable(jtype)
        struct = inner.get("fqn") or inner.get("collection", {}).get("elementtype", {}).get("fqn")
        if struct and struct in self.types and self.types[struct].get("datatype"):
            attr["nested"] = self.block(struct)  # awscc nested attribute: object keys are checked too
            self._add_computed(attr["nested"], struct + "OutputReference")
        return attr

    def _type_expr(self, jtype: Json) -> str:
        inner = _strip_resolvable(jtype)
        if "primitive" in inner:
            return {"string": "string", "number": "number", "boolean": "bool"}.get(inner["primitive"], "any")
        if "collection" in inner:
            kind = "list" if inner["collection"]["kind"] == "array" else "map"
            return f"{kind}({self._type_expr(inner['collection']['elementtype'])})"
        fqn = inner.get("fqn", "")
        if fqn in self.types and self.types[fqn].get("datatype"):
            return "object"
        return _COMPUTED_CLASS_TYPES.get(fqn, _computed_class_type(fqn))

    def _add_computed(self, block: Json, class_fqn: str) -> None:
        """Read-only attributes: getters on the class that are not in the config struct."""
        cls = self.types.get(class_fqn)
        if cls is None:
            return
        known = set(block["attributes"]) | set(block.get("blocks", {}))
        for prop in cls.get("properties", []):
            name = prop["name"]
            if prop.get("static") or name.endswith("Input") or name in _CLASS_INTERNALS:
                continue
            hcl = snake(name)
            if hcl not in known:
                block["attributes"][hcl] = {
                    "type": self._type_expr(prop["type"]),
                    "required": False,
                    "optional": False,
                    "computed": True,
                }
        block["attributes"] = dict(sorted(block["attributes"].items()))


# Getters every cdktn class has that are not part of the Terraform schema.
_CLASS_INTERNALS = {
    "fqn",
    "friendlyUniqueId",
    "terraformResourceType",
    "terraformGeneratorMetadata",
    "internalValue",
    "complexObjectIndex",
    "complexObjectIsFromSet",
    "creationStack",
    "terraformAttribute",
    "terraformResource",
    "wrapsSet",
    "isSingleItem",
}
_COMPUTED_CLASS_TYPES = {
    "cdktn.IResolvable": "bool",
    "cdktn.StringMap": "map(string)",
    "cdktn.NumberMap": "map(number)",
    "cdktn.BooleanMap": "map(bool)",
    "cdktn.AnyMap": "map(any)",
    "cdktn.StringMapList": "list(map(string))",
    "cdktn.NumberMapList": "list(map(number))",
    "cdktn.BooleanMapList": "list(map(bool))",
    "cdktn.AnyMapList": "list(map(any))",
    "cdktn.StringListList": "list(list(string))",
    "cdktn.NumberListList": "list(list(number))",
}


def _computed_class_type(fqn: str) -> str:
    if fqn.endswith("List"):
        return "list(object)"
    if fqn.endswith("Map"):
        return "map(object)"
    return "object" if fqn.endswith("OutputReference") else "any"


def _strip_resolvable(jtype: Json) -> Json:
    """`IResolvable | X` (how jsii lets a token stand in for a value) -> X."""
    if "union" in jtype:
        rest = [t for t in jtype["union"]["types"] if t.get("fqn") != "cdktn.IResolvable"]
        booleans = [t for t in rest if t.get("primitive") == "boolean"]
        chosen: Json = booleans[0] if booleans else rest[0]
        return chosen
    return jtype


# --- which types, and the fixture ---------------------------------------------------------------------


def types_used_in_tree(repo: Path) -> tuple[set[str], set[str]]:
    """Resource and data source types named in terraform/ and modules/ (a regex: no HCL parser needed)."""
    resources: set[str] = set()
    data: set[str] = set()
    pattern = re.compile(r'^\s*(resource|data)\s+"([\w-]+)"', re.M)
    for folder in ("terraform", "modules"):
        for tf in (repo / folder).rglob("*.tf") if (repo / folder).is_dir() else []:
            for kind, name in pattern.findall(tf.read_text(encoding="utf-8")):
                (resources if kind == "resource" else data).add(name)
    return resources, data


def build_fixture(assemblies: list[Assembly], resources: set[str], data_sources: set[str]) -> Json:
    fixture: Json = {
        "generated_by": "tools/extract_provider_schemas.py (make provider-schemas)",
        "notes": (
            "min_items/max_items: jsii keeps only max_items == 1 and required (min_items >= 1); "
            "list blocks have max_items null. computed: true marks computed-only attributes."
        ),
        "sources": {},
        "providers": {},
        "resources": {},
        "data_sources": {},
    }
    owner = {a.provider_source.split("/")[1]: a for a in assemblies}
    for asm in assemblies:
        fixture["sources"][asm.provider_source.split("/")[1]] = {
            "package": asm.package,
            "package_version": asm.package_version,
            "jsii_assembly": asm.assembly,
            "jsii_fingerprint": asm.fingerprint,
            "provider_source": asm.provider_source,
            "provider_version": asm.provider_version,
        }
    for name in PROVIDERS:
        if name in owner:
            # Provider classes mirror every config field as a getter: there is nothing computed to add.
            asm = owner[name]
            fixture["providers"][name] = asm.block(asm.config_fqn(asm.providers[name]))
    for table, wanted in (("resources", resources), ("data_sources", data_sources)):
        for tf_type in sorted(wanted):
            found = owner.get(tf_type.split("_", 1)[0])
            index = (found.resources if table == "resources" else found.data_sources) if found else {}
            if found is None or tf_type not in index:
                raise SystemExit(f"{table[:-1]} {tf_type} is not in any provider assembly")
            asm = found
            fixture[table][tf_type] = {
                "provider": tf_type.split("_", 1)[0],
                "block": asm.type_schema(index[tf_type]),
            }
    return fixture


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="*", type=Path, help="wheel, package folder, .jsii.tgz or .jsii")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    assemblies = [Assembly(load_assembly(src)) for src in (args.sources or installed_sources())]
    used_resources, used_data = types_used_in_tree(REPO)
    fixture = build_fixture(assemblies, set(RESOURCES) | used_resources, set(DATA_SOURCES) | used_data)
    args.out.write_text(json.dumps(fixture, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    for name, src in fixture["sources"].items():
        package = f"{src['package']} {src['package_version']}"
        print(f"{name}: {package} = {src['provider_source']} {src['provider_version']}")
    counts = f"{len(fixture['resources'])} resources, {len(fixture['data_sources'])} data sources"
    print(f"wrote {args.out}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
