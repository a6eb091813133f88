"""The committed provider schemas: where they come from, what they hold, and that they say what
`terraform providers schema -json` of the real providers says.

The full reference dumps live outside the repository (../shared/provider-schemas, see its README);
the comparison runs where that folder exists and says why it skips elsewhere.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sagespec.terraform.schemas import SCHEMA_DIR, provider_of, provider_schema
from tests.helpers.hcl_tree import load_tool

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO.parent / "shared" / "provider-schemas"
REFERENCE_FILES = {"aws": "aws-6.69.1.json.gz", "awscc": "awscc-1.106.0.json.gz"}
WHEELS = {
    "aws": "cdktn_provider_aws-25.8.1-py3-none-any.whl",
    "awscc": "cdktn_provider_awscc-1.8.0-py3-none-any.whl",
}
WHEEL_DIR = Path(os.environ.get("SAGESPEC_SCHEMA_WHEELS", REPO / ".cache" / "provider-wheels"))


def _differences(ours: Any, theirs: Any, path: str) -> Iterator[str]:
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for key in sorted(set(ours) | set(theirs)):
            if key not in ours:
                yield f"{path}.{key}: missing (reference: {json.dumps(theirs[key])[:100]})"
            elif key not in theirs:
                yield f"{path}.{key}: not in the reference ({json.dumps(ours[key])[:100]})"
            else:
                yield from _differences(ours[key], theirs[key], f"{path}.{key}")
    elif ours != theirs:
        yield f"{path}: {json.dumps(ours)[:100]} != reference {json.dumps(theirs)[:100]}"


@pytest.fixture(scope="module", params=["aws", "awscc"])
def provider(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_schemas_name_their_source(provider: str) -> None:
    source = provider_schema(provider)["_source"]
    package, _, version = WHEELS[provider].removesuffix("-py3-none-any.whl").partition("-")
    assert (source["package"], source["version"]) == (package.replace("_", "-"), version)
    assert source["provider"] == f"registry.terraform.io/hashicorp/{provider}"
    assert source["provider_version"] == {"aws": "6.69.1", "awscc": "1.106.0"}[provider]
    assert set(provider_schema(provider)) == {
        "_source",
        "provider",
        "resource_schemas",
        "data_source_schemas",
    }


def test_schemas_hold_every_type_the_hcl_declares() -> None:
    extractor = load_tool("extract_provider_schemas")
    resources, data = extractor.types_declared(REPO)
    resources |= set(extractor.BASE_RESOURCES)
    data |= set(extractor.BASE_DATA_SOURCES)
    assert resources and data
    for tf_type in resources:
        assert tf_type in provider_schema(provider_of(tf_type))["resource_schemas"], tf_type
    for tf_type in data:
        assert tf_type in provider_schema(provider_of(tf_type))["data_source_schemas"], tf_type


def test_schemas_carry_what_the_stand_ins_depend_on() -> None:
    """A few facts the offline plan gets wrong without: spot checks in the real JSON shape."""
    aws = provider_schema("aws")
    config = aws["resource_schemas"]["aws_sagemaker_endpoint_configuration"]["block"]
    assert config["attributes"]["name"] == {"computed": True, "optional": True, "type": "string"}
    assert config["attributes"]["arn"] == {"computed": True, "type": "string"}
    variants = config["block_types"]["production_variants"]
    assert (variants["nesting_mode"], variants["min_items"], variants["max_items"]) == ("list", 1, 10)
    serverless = variants["block"]["block_types"]["serverless_config"]
    assert (serverless["nesting_mode"], serverless["max_items"]) == ("list", 1)
    notify = config["block_types"]["async_inference_config"]["block"]["block_types"]["output_config"]
    include = notify["block"]["block_types"]["notification_config"]["block"]["attributes"]
    assert include["include_inference_response_in"]["type"] == ["set", "string"]
    secret = aws["data_source_schemas"]["aws_secretsmanager_secret_version"]["block"]["attributes"]
    assert secret["secret_string"] == {"computed": True, "sensitive": True, "type": "string"}
    component = provider_schema("awscc")["resource_schemas"]["awscc_sagemaker_inference_component"]
    assert component["version"] == 1
    runtime = component["block"]["attributes"]["runtime_config"]
    assert runtime["nested_type"]["nesting_mode"] == "single"
    assert runtime["nested_type"]["attributes"]["copy_count"]["type"] == "number"
    tags = component["block"]["attributes"]["tags"]["nested_type"]
    assert tags["nesting_mode"] == "list" and set(tags["attributes"]) == {"key", "value"}


@pytest.mark.skipif(not REFERENCE.is_dir(), reason=f"the reference schemas ({REFERENCE}) are absent")
def test_schemas_match_the_reference_dumps(provider: str) -> None:
    """Every kept type, and the provider block, exactly as the full reference has it."""
    with gzip.open(REFERENCE / REFERENCE_FILES[provider], "rt", encoding="utf-8") as handle:
        reference = json.load(handle)
    ours = provider_schema(provider)
    problems = list(_differences(ours["provider"], reference["provider"], "provider"))
    for section in ("resource_schemas", "data_source_schemas"):
        for tf_type, schema in ours[section].items():
            assert tf_type in reference[section], f"{tf_type} is not a {provider} {section} type"
            problems += _differences(schema, reference[section][tf_type], f"{section}.{tf_type}")
    assert problems == [], "\n".join(problems)


@pytest.mark.skipif(
    not all((WHEEL_DIR / w).is_file() for w in WHEELS.values()),
    reason=f"the cdktn provider wheels are not in {WHEEL_DIR} (`make provider-schemas` downloads them)",
)
def test_committed_schemas_are_what_the_script_writes(tmp_path: Path) -> None:
    extractor = load_tool("extract_provider_schemas")
    assert extractor.main([str(WHEEL_DIR / w) for w in WHEELS.values()] + ["--out-dir", str(tmp_path)]) == 0
    for provider in WHEELS:
        fresh = (tmp_path / f"{provider}.json").read_text(encoding="utf-8")
        assert fresh == (SCHEMA_DIR / f"{provider}.json").read_text(encoding="utf-8"), (
            f"{provider}.json is stale: run `make provider-schemas`"
        )


def test_overrides_with_a_wrong_path_are_refused() -> None:
    extractor = load_tool("extract_provider_schemas")
    block = {"attributes": {"name": {"type": "string", "optional": True}}}
    with pytest.raises(SystemExit, match=r"aws\.x\.nmae: not in the schema"):
        extractor.apply_overrides(block, {"nmae": {"sensitive": True}}, "aws.x")
    extractor.apply_overrides(block, {"name": {"sensitive": True, "source": "a.go"}}, "aws.x")
    assert block["attributes"]["name"] == {"type": "string", "optional": True, "sensitive": True}
