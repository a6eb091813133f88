"""From a model spec to its memory footprint: where the size comes from, which dtype, how many tokens.

The size comes from, in this order: the spec's `size` block, `config.json` in the local weights
folder, `config.json` in the local Hugging Face cache (offline: nothing is downloaded). The
container settings in `environment` decide dtype, quantization and the token budget
(constants and their sources in sagespec.sizing.memory).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import architecture, memory
from .architecture import Architecture

LMI_TP = "OPTION_TENSOR_PARALLEL_DEGREE"


class SizeUnknown(ValueError):
    """Nothing offline tells the model's size."""


@dataclass(frozen=True)
class Sized:
    footprint: memory.Footprint
    source: str  # "spec size", "models/x/config.json", "Hugging Face cache: org/name"
    attention_heads: int | None


def config_path(root: Path, spec: dict[str, Any]) -> tuple[Path | None, str]:
    """Where config.json would be for this spec, and how to name that place."""
    weights = spec.get("weights", {})
    if "local" in weights:
        path = root / str(weights["local"]["path"]) / "config.json"
        return path, path.relative_to(root).as_posix()
    hub = weights.get("huggingface")
    if hub:
        from huggingface_hub import try_to_load_from_cache  # reads the cache only, never the network

        found = try_to_load_from_cache(str(hub["model_id"]), "config.json", revision=hub.get("revision"))
        label = f"Hugging Face cache: {hub['model_id']}"
        return (Path(found), label) if isinstance(found, str) else (None, label)
    return None, "weights in S3, which sagespec does not read"


def load_config(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SizeUnknown(f"{path}: not a readable JSON config ({exc})") from exc
    if not isinstance(data, dict):
        raise SizeUnknown(f"{path}: config.json is not a JSON object")
    return data


def estimate(root: Path, spec: dict[str, Any], batch: int = 1) -> Sized:
    env = {str(k): str(v) for k, v in spec.get("environment", {}).items()}
    framework = str(spec.get("container", {}).get("framework", ""))
    size = spec.get("size")
    arch: Architecture | None = None
    quant_bits: int | None = None
    if size:
        source = "spec size"
        parameters, dtype = int(float(size["parameters"])), str(size["dtype"])
        shape = (size.get("layers"), size.get("kv_heads"), size.get("head_dim"))
    else:
        path, source = config_path(root, spec)
        if path is None or not path.is_file():
            raise SizeUnknown(f"no config.json at hand ({source})")
        config = load_config(path)
        try:
            arch = architecture.from_config(config)
        except architecture.UnsupportedConfig as exc:
            raise SizeUnknown(f"{source}: {exc}") from exc
        parameters, dtype = arch.parameters, arch.config_dtype or _default_dtype(framework)
        shape = (arch.layers * arch.kv_per_layer, arch.kv_heads, arch.head_dim)
        quant = config.get("quantization_config")
        if isinstance(quant, dict) and isinstance(quant.get("bits"), int):
            quant_bits = int(quant["bits"])
    dtype = env.get("DTYPE") or env.get("OPTION_DTYPE") or dtype
    notes: list[str] = []
    method = (env.get("QUANTIZE") or env.get("OPTION_QUANTIZE") or "").lower()
    if method:
        if method not in memory.QUANTIZATION_BITS:
            raise SizeUnknown(f"unknown quantization {method!r}")
        quant_bits = memory.QUANTIZATION_BITS[method]
    kv_bytes = memory.dtype_bytes(dtype)  # the cache keeps the compute dtype, also when weights are quantized
    weight_bytes = quant_bits / 8 if quant_bits else memory.dtype_bytes(dtype)
    if quant_bits:
        notes.append(f"weights quantized to {quant_bits} bits")
    layers, kv_heads, head_dim = shape
    kv = (
        memory.kv_bytes_per_token(int(layers), int(kv_heads), int(head_dim), kv_bytes)
        if layers and kv_heads and head_dim
        else None
    )
    tokens = _tokens(env, arch, batch)
    if kv is None:
        notes.append("KV cache not counted: give size.layers, kv_heads and head_dim")
    elif tokens is None:
        notes.append("KV cache not counted: no token limit in the environment or config")
    footprint = memory.Footprint(parameters, weight_bytes, kv, tokens, tuple(notes))
    return Sized(footprint, source, arch.attention_heads if arch else None)


def _default_dtype(framework: str) -> str:
    return "float32" if framework in ("huggingface", "pytorch") else "float16"


def _tokens(env: dict[str, str], arch: Architecture | None, batch: int) -> int | None:
    if env.get("MAX_BATCH_TOTAL_TOKENS", "").isdigit():
        return int(env["MAX_BATCH_TOTAL_TOKENS"])
    per_sequence = env.get("MAX_TOTAL_TOKENS") or env.get("OPTION_MAX_MODEL_LEN")
    if env.get("OPTION_MAX_ROLLING_BATCH_SIZE", "").isdigit():
        batch = max(batch, int(env["OPTION_MAX_ROLLING_BATCH_SIZE"]))
    if per_sequence and per_sequence.isdigit():
        return int(per_sequence) * batch
    if arch is not None and isinstance(arch.max_positions, int):
        return arch.max_positions * batch
    return None
