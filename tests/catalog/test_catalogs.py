"""The accessor API against the shipped catalogs."""

from __future__ import annotations

import datetime
import json
import time

import botocore.loaders
import pytest
from packaging.version import Version

from sagespec.catalog import reader as catalogs
from sagespec.catalog.reader import CATALOG_DIR, Image, Instance


def _iso(day: str) -> bool:
    return datetime.date.fromisoformat(day).isoformat() == day


@pytest.fixture(scope="module")
def botocore_types() -> set[str]:
    model = botocore.loaders.Loader().load_service_model("sagemaker", "service-2")
    return set(model["shapes"]["ProductionVariantInstanceType"]["enum"])


# --- instances ---------------------------------------------------------------------------------


def test_g5_12xlarge_has_four_a10g_gpus() -> None:
    got = catalogs.instance("ml.g5.12xlarge")
    assert got is not None
    assert (got.vcpus, got.memory_gib, got.gpus) == (48, 192.0, 4)
    assert (got.accelerator, got.accelerator_name) == ("nvidia", "A10G")
    assert got.gpu_memory_gib == pytest.approx(89.4, abs=0.1)  # EC2 reports 22,888 MiB usable per A10G
    assert "DescribeInstanceTypes" in got.source


def test_inferentia2_counts_neuron_devices() -> None:
    small, big = catalogs.instance("ml.inf2.xlarge"), catalogs.instance("ml.inf2.48xlarge")
    assert small is not None and big is not None
    assert (small.accelerator, small.accelerator_name, small.gpus, small.gpu_memory_gib) == (
        "neuron",
        "Inferentia2",
        1,
        32.0,
    )
    assert (big.gpus, big.vcpus, big.memory_gib) == (12, 192, 768.0)


def test_cpu_types_have_zero_accelerators() -> None:
    got = catalogs.instance("ml.m5.large")
    assert got is not None
    assert got == Instance("ml.m5.large", 2, 8.0, 0, 0.0, "none", None, got.source, local_storage_gb=0)
    assert catalogs.instance("ml.g5.12xlarge").local_storage_gb == 3800  # type: ignore[union-attr]


def test_unknown_types_are_none() -> None:
    assert catalogs.instance("ml.g5.13xlarge") is None
    assert catalogs.instance("g5.12xlarge") is None  # EC2 name, not a SageMaker one
    assert catalogs.instance("") is None


def test_known_type_without_a_source_keeps_none_fields() -> None:
    doc = json.loads((CATALOG_DIR / "instances.json").read_text())
    unsourced = [t for t, row in doc["instances"].items() if row[6] == "none"]
    assert unsourced, "expected some types no offline source describes"
    got = catalogs.instance(unsourced[0])
    assert got is not None and got.type == unsourced[0]
    assert (got.vcpus, got.memory_gib, got.gpus, got.accelerator) == (None, None, None, None)


def test_type_newer_than_the_catalog_is_known_but_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalogs, "_botocore_instance_types", lambda: frozenset({"ml.zz9.xlarge"}))
    catalogs._instance.cache_clear()
    try:
        got = catalogs.instance("ml.zz9.xlarge")
        assert got is not None and got.gpus is None and "botocore" in got.source
    finally:
        catalogs._instance.cache_clear()


def test_every_catalog_type_is_a_production_variant_type(botocore_types: set[str]) -> None:
    types = catalogs.instance_types()
    assert len(types) > 200
    assert set(types) <= botocore_types


def test_rows_are_internally_consistent() -> None:
    for name in catalogs.instance_types():
        got = catalogs.instance(name)
        assert got is not None and got.accelerator in ("nvidia", "neuron", "none", None)
        if got.accelerator == "none":
            assert got.gpus == 0
        if got.accelerator in ("nvidia", "neuron"):
            assert got.gpus and got.gpus > 0 and got.accelerator_name
            assert got.gpu_memory_gib and got.gpu_memory_gib > 0


# --- images ------------------------------------------------------------------------------------


def test_tgi_301_resolves_in_us_east_1() -> None:
    got = catalogs.image("tgi", "3.0.1", "us-east-1", "gpu")
    assert got == Image(
        uri="763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:"
        "2.4.0-tgi3.0.1-gpu-py311-cu124-ubuntu22.04-v2.1",
        repository_arn="arn:aws:ecr:us-east-1:763104351884:repository/huggingface-pytorch-tgi-inference",
        processor="gpu",
    )


@pytest.mark.parametrize(
    ("region", "partition", "suffix"),
    [
        ("cn-north-1", "aws-cn", "amazonaws.com.cn"),
        ("us-gov-west-1", "aws-us-gov", "amazonaws.com"),
        ("eu-west-1", "aws", "amazonaws.com"),
    ],
)
def test_arns_and_hosts_follow_the_partition(region: str, partition: str, suffix: str) -> None:
    got = catalogs.image("tgi", "3.0.1", region, "gpu")
    assert got is not None
    account = got.uri.split(".", 1)[0]
    assert got.uri.startswith(f"{account}.dkr.ecr.{region}.{suffix}/huggingface-pytorch-tgi-inference:")
    assert (
        got.repository_arn
        == f"arn:{partition}:ecr:{region}:{account}:repository/huggingface-pytorch-tgi-inference"
    )


def test_regions_exclude_partitions_we_cannot_address() -> None:
    regions = catalogs.image_regions("tgi", "3.0.1", "gpu")
    assert {"us-east-1", "cn-north-1", "us-gov-east-1"} <= regions
    assert not {r for r in regions if r.startswith(("us-iso", "eu-isoe", "eusc-"))}
    assert catalogs.image("tgi", "3.0.1", "us-iso-east-1", "gpu") is None


def test_every_framework_has_sorted_versions() -> None:
    for framework in catalogs.FRAMEWORKS:
        versions = catalogs.framework_versions(framework)
        assert versions, framework
        assert versions == sorted(versions, key=Version)
        for version in versions:
            for processor in catalogs.image_processors(framework, version):
                assert processor in ("cpu", "gpu")
                assert catalogs.image_regions(framework, version, processor)


def test_tei_has_cpu_and_gpu_images_from_two_sdk_configs() -> None:
    assert catalogs.image_processors("tei", "1.8.2") == {"cpu", "gpu"}
    cpu = catalogs.image("tei", "1.8.2", "us-east-1", "cpu")
    gpu = catalogs.image("tei", "1.8.2", "us-east-1", "gpu")
    assert cpu is not None and "/tei-cpu:" in cpu.uri and cpu.uri.endswith("-cpu-py310-ubuntu22.04")
    assert gpu is not None and "/tei:" in gpu.uri and "-gpu-" in gpu.uri


def test_lmi_merges_current_and_deepspeed_releases() -> None:
    versions = catalogs.framework_versions("lmi")
    assert {"0.27.0", "0.28.0"} <= set(versions)
    old = catalogs.image("lmi", "0.27.0", "us-east-1", "gpu")
    new = catalogs.image("lmi", "0.28.0", "us-east-1", "gpu")
    assert old is not None and old.uri.endswith("djl-inference:0.27.0-deepspeed0.12.6-cu121")
    assert new is not None and new.uri.endswith("djl-inference:0.28.0-lmi10.0.0-cu124")


def test_huggingface_is_keyed_by_transformers_version_on_newest_pytorch() -> None:
    got = catalogs.image("huggingface", "4.49.0", "us-east-1", "cpu")
    assert got is not None
    assert got.uri.endswith("/huggingface-pytorch-inference:2.6.0-transformers4.49.0-cpu-py312-ubuntu22.04")


def test_pytorch_has_cpu_and_gpu() -> None:
    assert catalogs.image_processors("pytorch", "2.6.0") == {"cpu", "gpu"}
    got = catalogs.image("pytorch", "2.6.0", "us-west-2", "gpu")
    assert got is not None and got.uri.endswith("/pytorch-inference:2.6.0-gpu-py312")


def test_unknown_images_are_empty() -> None:
    assert catalogs.framework_versions("image") == []
    assert catalogs.image_processors("tgi", "9.9.9") == set()
    assert catalogs.image_regions("tgi", "3.0.1", "cpu") == set()
    assert catalogs.image("tgi", "3.0.1", "mars-east-1", "gpu") is None
    assert catalogs.image("tgi", "3.0.1", "us-east-1", "cpu") is None


def test_results_are_copies_callers_may_change() -> None:
    catalogs.framework_versions("tgi").clear()
    catalogs.image_processors("tei", "1.8.2").clear()
    assert catalogs.framework_versions("tgi") and catalogs.image_processors("tei", "1.8.2")


# --- prices ------------------------------------------------------------------------------------


def test_sourced_us_east_1_prices() -> None:
    price = catalogs.instance_price("ml.g5.12xlarge", "us-east-1")
    assert price is not None and price.usd_per_hour == 7.09
    assert price.source.startswith("https://") and _iso(price.as_of)
    for name in (
        "ml.g5.xlarge",
        "ml.g5.2xlarge",
        "ml.g5.24xlarge",
        "ml.g5.48xlarge",
        "ml.m5.large",
        "ml.m5.xlarge",
        "ml.p4d.24xlarge",
        "ml.inf2.xlarge",
        "ml.g6.12xlarge",
    ):
        assert catalogs.instance_price(name, "us-east-1") is not None, name


def test_unsourced_prices_are_none() -> None:
    assert catalogs.instance_price("ml.g5.12xlarge", "ap-northeast-1") is None
    assert catalogs.instance_price("ml.c5.large", "us-east-1") is None  # no sourced figure: none, not a guess
    assert catalogs.instance_price("ml.nope.large", "us-east-1") is None
    assert catalogs.serverless_price("eu-west-1") is None


def test_sourced_us_east_2_prices() -> None:
    price = catalogs.instance_price("ml.g6.xlarge", "us-east-2")
    assert price is not None and price.usd_per_hour == 1.1267 and price.as_of == "2026-09-25"


def test_sourced_eu_west_1_prices() -> None:
    price = catalogs.instance_price("ml.g5.12xlarge", "eu-west-1")
    assert price is not None and price.usd_per_hour == 7.91 and "sagemaker-ssh-helper" in price.source
    assert _iso(price.as_of)


def test_serverless_price() -> None:
    got = catalogs.serverless_price("us-east-1")
    assert got is not None and got.usd_per_gb_second == pytest.approx(0.00002)
    # infracost: $122.46 for 2 warm 2 GB concurrencies over 730 h = $0.0000233/s per 2 GB
    assert got.usd_per_gb_second_provisioned == pytest.approx(0.0000233 / 2)
    assert got.source.startswith("https://") and _iso(got.as_of)


def test_every_price_names_a_catalog_type_and_a_dated_source() -> None:
    doc = json.loads((CATALOG_DIR / "prices.json").read_text())
    types = set(catalogs.instance_types())
    for region, table in doc["instances"].items():
        for name, (usd, source) in table.items():
            assert name in types and 0 < usd < 1000, (region, name)
            assert source in doc["sources"]
    for source in doc["sources"].values():
        assert source["url"] and _iso(source["as_of"])


# --- provenance and speed ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["images.json", "instances.json", "prices.json"])
def test_every_catalog_file_is_stamped(name: str) -> None:
    meta = json.loads((CATALOG_DIR / name).read_text())["_meta"]
    assert _iso(meta["generated"]) and meta["generator"]
    sources = meta.get("sources") or json.loads((CATALOG_DIR / name).read_text())["sources"]
    assert sources and all(sources.values())


def test_images_are_stamped_with_the_sdk_version() -> None:
    sources = json.loads((CATALOG_DIR / "images.json").read_text())["_meta"]["sources"]
    assert any(name.startswith("sagemaker") and value[0].isdigit() for name, value in sources.items())


def test_lookups_are_fast() -> None:
    catalogs._load.cache_clear()
    catalogs._images.cache_clear()
    catalogs._instance.cache_clear()
    start = time.perf_counter()
    for _ in range(1000):
        catalogs.instance("ml.g5.12xlarge")
        catalogs.image("tgi", "3.0.1", "us-east-1", "gpu")
        catalogs.framework_versions("tgi")
        catalogs.instance_price("ml.g5.12xlarge", "us-east-1")
    assert time.perf_counter() - start < 0.5  # includes the first parse of every file


def test_partition_comes_from_the_catalog_with_a_rule_for_newer_regions() -> None:
    assert catalogs.partition("us-east-1") == "aws"
    assert catalogs.partition("cn-northwest-1") == "aws-cn"
    assert catalogs.partition("us-gov-west-1") == "aws-us-gov"
    assert catalogs.partition("cn-south-9") == "aws-cn"  # not in the catalog: the naming rule
    assert catalogs.partition("eu-future-9") == "aws"
