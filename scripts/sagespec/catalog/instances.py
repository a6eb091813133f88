"""Turn EC2 instance-type data and the SDK's GPU table into sagespec's instance catalog rows.

A row is `[vcpus, memory_gib, gpus, gpu_memory_gib, accelerator, accelerator_name, source,
local_storage_gb]`; local storage (NVMe instance store) matters because SageMaker refuses a volume
KMS key and a volume size on such instances;
`gpus` counts NVIDIA GPUs or Neuron devices, the units inference components allocate.
Nothing is guessed: a field no source gives stays None.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Json = dict[str, Any]
Row = list[Any]

# Source keys, explained in instances.json's _meta.sources.
EC2 = "ec2"
SDK_GPU = "sdk-gpu"
NONE = "none"


def mib_to_gib(mib: float | None) -> float | None:
    return None if mib is None else mib / 1024  # exact: whole MiB are binary fractions of a GiB


def ec2_row(info: Json) -> Row:
    """A row from one EC2 DescribeInstanceTypes entry (the shape moto ships)."""
    vcpus = info.get("VCpuInfo", {}).get("DefaultVCpus")
    memory = mib_to_gib(info.get("MemoryInfo", {}).get("SizeInMiB"))
    return [vcpus, memory, *_accelerators(info), EC2, _local_storage_gb(info)]


def _local_storage_gb(info: Json) -> int | None:
    if "InstanceStorageSupported" not in info:
        return None
    return (
        int(info.get("InstanceStorageInfo", {}).get("TotalSizeInGB", 0))
        if info["InstanceStorageSupported"]
        else 0
    )


def _accelerators(info: Json) -> list[Any]:
    """[count, memory GiB, kind, name]: NVIDIA GPUs, else Neuron devices, else none."""
    gpus = info.get("GpuInfo", {}).get("Gpus", [])
    neuron = info.get("NeuronInfo", {}).get("NeuronDevices", [])
    if gpus:
        if any(gpu.get("Manufacturer") != "NVIDIA" for gpu in gpus):
            return [None, None, None, _names(gpus)]  # no CUDA container runs there
        total = info["GpuInfo"].get("TotalGpuMemoryInMiB")
        return [sum(gpu["Count"] for gpu in gpus), mib_to_gib(total), "nvidia", _names(gpus)]
    if neuron:
        total = info["NeuronInfo"].get("TotalNeuronDeviceMemoryInMiB")
        return [sum(dev["Count"] for dev in neuron), mib_to_gib(total), "neuron", _names(neuron)]
    if any(key in info for key in ("InferenceAcceleratorInfo", "FpgaInfo", "MediaAcceleratorInfo")):
        return [None, None, None, None]  # an accelerator we do not model
    return [0, 0.0, "none", None]


def _names(devices: Iterable[Json]) -> str:
    return "+".join(sorted({str(device.get("Name")) for device in devices}))


def sdk_gpu_row(gpu: Json) -> Row:
    """A row from the SDK's instance_gpu_info.json: GPU count and memory only."""
    return [None, None, gpu["Count"], mib_to_gib(gpu["TotalGpuMemoryInMiB"]), None, None, SDK_GPU, None]


def merged_sdk_gpu_info(by_region: Mapping[str, Mapping[str, Json]]) -> dict[str, Json]:
    """The SDK lists GPUs per region; keep a type only where every region agrees."""
    merged: dict[str, Json] = {}
    conflicts: set[str] = set()
    for table in by_region.values():
        for instance_type, gpu in table.items():
            if merged.setdefault(instance_type, dict(gpu)) != dict(gpu):
                conflicts.add(instance_type)
    return {k: v for k, v in merged.items() if k not in conflicts}


def build(sagemaker_types: Iterable[str], ec2: Mapping[str, Json], sdk_gpu: Mapping[str, Json]) -> Json:
    """instance type -> row, for every SageMaker hosting type (ml.X is EC2 X)."""
    rows: Json = {}
    for instance_type in sorted(set(sagemaker_types)):
        ec2_info = ec2.get(instance_type.removeprefix("ml."))
        if ec2_info is not None:
            rows[instance_type] = ec2_row(ec2_info)
        elif instance_type in sdk_gpu:
            rows[instance_type] = sdk_gpu_row(sdk_gpu[instance_type])
        else:
            rows[instance_type] = [None, None, None, None, None, None, NONE, None]
    return rows
