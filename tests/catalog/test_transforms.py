"""The generator's transforms on small samples shaped like the SDK's, EC2's and botocore's data."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sagespec.catalog import images, instances
from sagespec.catalog.dump import dumps
from sagespec.catalog.reader import ImageCatalog

REG = {"us-east-1": "763104351884", "cn-north-1": "727897471807", "us-iso-east-1": "886529160074"}
PARTITIONS = {"us-east-1": "aws", "cn-north-1": "aws-cn", "us-iso-east-1": "aws-iso"}


def _sdk_configs(**override: Any) -> dict[str, Any]:
    configs: dict[str, Any] = {
        "huggingface-llm": {
            "inference": {
                "processors": ["gpu"],
                "versions": {
                    "3.0.1": {
                        "py_versions": ["py311"],
                        "registries": REG,
                        "repository": "huggingface-pytorch-tgi-inference",
                        "tag_prefix": "2.4.0-tgi3.0.1",
                        "container_version": {"gpu": "cu124-ubuntu22.04-v2.1"},
                    }
                },
            }
        },
        "djl-lmi": {
            "scope": ["inference"],
            "versions": {
                "0.28.0": {
                    "registries": REG,
                    "repository": "djl-inference",
                    "tag_prefix": "0.28.0-lmi10.0.0-cu124",
                }
            },
        },
        "djl-deepspeed": {
            "scope": ["inference"],
            "versions": {
                "0.28.0": {
                    "registries": REG,
                    "repository": "djl-inference",
                    "tag_prefix": "0.28.0-deepspeed-OLD-cu121",
                },
                "0.27.0": {
                    "registries": REG,
                    "repository": "djl-inference",
                    "tag_prefix": "0.27.0-deepspeed0.12.6-cu121",
                },
            },
        },
        "huggingface-tei": {
            "inference": {
                "processors": ["gpu"],
                "versions": {
                    "1.8.2": {
                        "py_versions": ["py310"],
                        "registries": REG,
                        "repository": "tei",
                        "tag_prefix": "2.0.1-tei1.8.2",
                        "container_version": {"gpu": "cu122-ubuntu22.04"},
                    }
                },
            }
        },
        "huggingface-tei-cpu": {
            "inference": {
                "processors": ["cpu"],
                "versions": {
                    "1.8.2": {
                        "py_versions": ["py310"],
                        "registries": REG,
                        "repository": "tei-cpu",
                        "tag_prefix": "2.0.1-tei1.8.2",
                        "container_version": {"cpu": "ubuntu22.04"},
                    }
                },
            }
        },
        "huggingface": {
            "training": {},
            "inference": {
                "processors": ["gpu", "cpu"],
                "versions": {
                    "4.6.1": {
                        "version_aliases": {"pytorch1.7": "pytorch1.7.1"},
                        "pytorch1.7.1": {
                            "py_versions": ["py36"],
                            "registries": REG,
                            "repository": "old",
                            "container_version": {"gpu": "cu110-ubuntu18.04", "cpu": "ubuntu18.04"},
                        },
                        "pytorch1.10.2": {
                            "py_versions": ["py38"],
                            "registries": REG,
                            "repository": "huggingface-pytorch-inference",
                            "container_version": {"gpu": "cu113-ubuntu20.04", "cpu": "ubuntu20.04"},
                        },
                        "tensorflow2.4.1": {"py_versions": ["py37"], "registries": REG, "repository": "tf"},
                    },
                    "4.1.0": {
                        "tensorflow2.4.1": {"py_versions": ["py37"], "registries": REG, "repository": "tf"}
                    },
                },
            },
        },
        "pytorch": {
            "inference": {
                "processors": ["cpu", "gpu"],
                "versions": {
                    "1.10.0": {
                        "py_versions": ["py3", "py38"],
                        "registries": REG,
                        "repository": "pytorch-inference",
                    },
                    "1.9.0": {"py_versions": ["py38"], "registries": REG, "repository": "pytorch-inference"},
                    "2.9.0": {
                        "py_versions": ["py312"],
                        "registries": REG,
                        "repository": "pytorch-inference",
                        "processor_in_tag": False,
                        "container_version": {"gpu": "cu130-amzn2023", "cpu": "amzn2023"},
                    },
                    "0.4.0": {
                        "py_versions": ["py2", "py3"],
                        "registries": {"us-east-1": "520713654638"},
                        "repository": "sagemaker-pytorch",
                    },
                },
            }
        },
    }
    configs.update(override)
    return configs


@pytest.fixture
def body() -> dict[str, Any]:
    return images.build(_sdk_configs(), PARTITIONS.get)


def test_tag_is_prefix_processor_py_container(body: dict[str, Any]) -> None:
    repository, tag, _ = body["frameworks"]["tgi"]["3.0.1"]["gpu"]
    assert (repository, tag) == (
        "huggingface-pytorch-tgi-inference",
        "2.4.0-tgi3.0.1-gpu-py311-cu124-ubuntu22.04-v2.1",
    )


def test_first_sdk_config_wins_per_version_and_processor(body: dict[str, Any]) -> None:
    lmi = body["frameworks"]["lmi"]
    assert list(lmi) == ["0.27.0", "0.28.0"]  # sorted oldest..newest
    assert lmi["0.28.0"]["gpu"][1] == "0.28.0-lmi10.0.0-cu124"  # djl-lmi beats djl-deepspeed
    assert lmi["0.27.0"]["gpu"][1] == "0.27.0-deepspeed0.12.6-cu121"


def test_tei_processors_come_from_two_configs(body: dict[str, Any]) -> None:
    tei = body["frameworks"]["tei"]["1.8.2"]
    assert tei["cpu"][:2] == ["tei-cpu", "2.0.1-tei1.8.2-cpu-py310-ubuntu22.04"]
    assert tei["gpu"][:2] == ["tei", "2.0.1-tei1.8.2-gpu-py310-cu122-ubuntu22.04"]


def test_huggingface_uses_newest_pytorch_base_and_skips_tensorflow_only(body: dict[str, Any]) -> None:
    hf = body["frameworks"]["huggingface"]
    assert list(hf) == ["4.6.1"]
    assert hf["4.6.1"]["gpu"][:2] == [
        "huggingface-pytorch-inference",
        "1.10.2-transformers4.6.1-gpu-py38-cu113-ubuntu20.04",
    ]


def test_pytorch_picks_newest_python_and_honours_processor_in_tag(body: dict[str, Any]) -> None:
    torch = body["frameworks"]["pytorch"]
    assert list(torch) == ["0.4.0", "1.9.0", "1.10.0", "2.9.0"]
    assert torch["1.10.0"]["cpu"][1] == "1.10.0-cpu-py38"
    assert torch["0.4.0"]["gpu"][1] == "0.4.0-gpu-py3"
    assert torch["2.9.0"]["gpu"][1] == "2.9.0-py312-cu130-amzn2023"


def test_regions_outside_known_partitions_are_dropped(body: dict[str, Any]) -> None:
    assert body["regions"] == {"cn-north-1": "aws-cn", "us-east-1": "aws"}
    for registry in body["registries"].values():
        assert "us-iso-east-1" not in registry


def test_identical_registry_maps_are_stored_once(body: dict[str, Any]) -> None:
    ids = {entry[2] for fw in body["frameworks"].values() for v in fw.values() for entry in v.values()}
    assert len(ids) == len(body["registries"]) == 2  # the shared map and pytorch 0.4.0's own


def test_catalog_reads_what_build_writes(body: dict[str, Any]) -> None:
    catalog = ImageCatalog({**body, "partitions": {"aws": "amazonaws.com", "aws-cn": "amazonaws.com.cn"}})
    got = catalog.image("tgi", "3.0.1", "cn-north-1", "gpu")
    assert got is not None
    assert got.uri == (
        "727897471807.dkr.ecr.cn-north-1.amazonaws.com.cn/huggingface-pytorch-tgi-inference:"
        "2.4.0-tgi3.0.1-gpu-py311-cu124-ubuntu22.04-v2.1"
    )
    assert (
        got.repository_arn
        == "arn:aws-cn:ecr:cn-north-1:727897471807:repository/huggingface-pytorch-tgi-inference"
    )
    assert catalog.image("pytorch", "0.4.0", "cn-north-1", "cpu") is None  # no registry there


def test_a_config_with_no_inference_scope_gives_nothing() -> None:
    assert list(images.variants("djl-lmi", {"scope": ["training"], "versions": {"1": {}}})) == []
    assert list(images.variants("pytorch", {"training": {"versions": {}}})) == []


@pytest.mark.parametrize(
    ("given", "newest"),
    [(["py3", "py36"], "py36"), (["py38", "py310", "py39"], "py310"), (["py2", "py3"], "py3"), (None, None)],
)
def test_newest_py(given: list[str] | None, newest: str | None) -> None:
    assert images.newest_py(given) == newest


# --- instances ---------------------------------------------------------------------------------

EC2: dict[str, Any] = {
    "g5.12xlarge": {
        "InstanceStorageSupported": True,
        "InstanceStorageInfo": {"TotalSizeInGB": 3800},
        "VCpuInfo": {"DefaultVCpus": 48},
        "MemoryInfo": {"SizeInMiB": 196608},
        "GpuInfo": {
            "Gpus": [
                {"Count": 4, "Manufacturer": "NVIDIA", "Name": "A10G", "MemoryInfo": {"SizeInMiB": 22888}}
            ],
            "TotalGpuMemoryInMiB": 91552,
        },
    },
    "inf2.xlarge": {
        "VCpuInfo": {"DefaultVCpus": 4},
        "MemoryInfo": {"SizeInMiB": 16384},
        "InferenceAcceleratorInfo": {"Accelerators": [{"Count": 1, "Name": "Inferentia2"}]},
        "NeuronInfo": {
            "NeuronDevices": [{"Count": 1, "Name": "Inferentia2", "CoreInfo": {"Count": 2}}],
            "TotalNeuronDeviceMemoryInMiB": 32768,
        },
    },
    "m5.large": {
        "VCpuInfo": {"DefaultVCpus": 2},
        "MemoryInfo": {"SizeInMiB": 8192},
        "InstanceStorageSupported": False,
    },
    "g4ad.xlarge": {
        "VCpuInfo": {"DefaultVCpus": 4},
        "MemoryInfo": {"SizeInMiB": 16384},
        "GpuInfo": {"Gpus": [{"Count": 1, "Manufacturer": "AMD", "Name": "Radeon Pro V520"}]},
    },
    "f1.2xlarge": {
        "VCpuInfo": {"DefaultVCpus": 8},
        "MemoryInfo": {"SizeInMiB": 124928},
        "FpgaInfo": {"Fpgas": [{"Count": 1, "Name": "Virtex UltraScale (VU9P)"}]},
    },
}
SDK_GPU = {
    "us-east-1": {
        "ml.p3.2xlarge": {"Count": 1, "TotalGpuMemoryInMiB": 16384},
        "ml.g5.12xlarge": {"Count": 4, "TotalGpuMemoryInMiB": 98304},
    },
    "eu-west-1": {
        "ml.p3.2xlarge": {"Count": 1, "TotalGpuMemoryInMiB": 16384},
        "ml.g5.12xlarge": {"Count": 4, "TotalGpuMemoryInMiB": 91552},
    },
}


@pytest.fixture
def rows() -> dict[str, Any]:
    types = [
        "ml.g5.12xlarge",
        "ml.inf2.xlarge",
        "ml.m5.large",
        "ml.g4ad.xlarge",
        "ml.f1.2xlarge",
        "ml.p3.2xlarge",
        "ml.p9.huge",
    ]
    return instances.build(types, EC2, instances.merged_sdk_gpu_info(SDK_GPU))


def test_nvidia_row(rows: dict[str, Any]) -> None:
    assert rows["ml.g5.12xlarge"] == [48, 192.0, 4, 89.40625, "nvidia", "A10G", instances.EC2, 3800]


def test_neuron_row_counts_devices_not_cores(rows: dict[str, Any]) -> None:
    assert rows["ml.inf2.xlarge"] == [4, 16.0, 1, 32.0, "neuron", "Inferentia2", instances.EC2, None]


def test_cpu_row(rows: dict[str, Any]) -> None:
    assert rows["ml.m5.large"] == [2, 8.0, 0, 0.0, "none", None, instances.EC2, 0]


def test_accelerators_we_do_not_model_stay_unknown(rows: dict[str, Any]) -> None:
    assert rows["ml.g4ad.xlarge"][2:5] == [None, None, None]  # a GPU, but no CUDA
    assert rows["ml.f1.2xlarge"][2:6] == [None, None, None, None]


def test_sdk_gpu_table_fills_in_only_what_it_knows(rows: dict[str, Any]) -> None:
    assert rows["ml.p3.2xlarge"] == [None, None, 1, 16.0, None, None, instances.SDK_GPU, None]


def test_sdk_gpu_entries_that_disagree_across_regions_are_dropped() -> None:
    assert set(instances.merged_sdk_gpu_info(SDK_GPU)) == {"ml.p3.2xlarge"}


def test_unsourced_type_is_all_none(rows: dict[str, Any]) -> None:
    assert rows["ml.p9.huge"] == [None] * 6 + [instances.NONE, None]


def test_rows_are_sorted_by_type(rows: dict[str, Any]) -> None:
    assert list(rows) == sorted(rows)


# --- file format -------------------------------------------------------------------------------


def test_dump_is_json_with_one_entry_per_line() -> None:
    doc = {"_meta": {"generated": "2026-11-22"}, "rows": {"a": [1, None, "x"], "b": {"c": 2}}}
    text = dumps(doc, depth=2)
    assert json.loads(text) == doc
    assert text.endswith("}\n")
    assert '    "a": [1,null,"x"],' in text.splitlines()
    assert '    "b": {"c":2}' in text.splitlines()
