"""The serving memory model: weights + KV cache, over the share of GPU memory an engine may use.

    weights  = parameters x bytes per parameter (dtype, or the quantization's bits / 8)
    kv cache = 2 (K and V) x layers x kv-heads x head-dim x bytes x tokens
    needed   = (weights + kv cache) / usable fraction

Sources, one per constant:
- bytes per parameter (fp32 4, fp16/bf16 2, int8/fp8 1) and the KV formula with its factor 2:
  DJL LMI "Instance Type Selection", https://docs.djl.ai/docs/serving/serving/docs/lmi/
  deployment_guide/instance-type-selection.html (the guide writes n_hidden_size = heads x d_head;
  with grouped-query attention only num_key_value_heads x head_dim are cached, LlamaConfig,
  https://huggingface.co/docs/transformers/model_doc/llama).
- 4-bit quantization (GPTQ, AWQ, bitsandbytes nf4/fp4, marlin, exl2) stores 4 bits = 0.5 byte per
  weight: https://huggingface.co/docs/text-generation-inference/conceptual/quantization.
- usable fraction 0.9: vLLM's default --gpu-memory-utilization (the engine of LMI's vllm and
  lmi-dist backends), https://docs.vllm.ai/en/latest/configuration/engine_args.html; the rest is
  CUDA context, activations and fragmentation.
- dtype when nothing says: fp16, LMI's default option.dtype (https://docs.djl.ai/docs/serving/
  serving/docs/lmi/deployment_guide/configurations.html); transformers-based containers
  (huggingface, pytorch) load float32 unless told (https://huggingface.co/docs/transformers/
  main_classes/model, "torch_dtype").
- batch: TGI's MAX_BATCH_TOTAL_TOKENS is the token budget of a whole batch; else MAX_TOTAL_TOKENS
  (TGI) or OPTION_MAX_MODEL_LEN (LMI) per sequence x the batch size (OPTION_MAX_ROLLING_BATCH_SIZE
  for LMI, else 1); with no token limit, the model's max_position_embeddings, as vLLM derives
  max_model_len (https://huggingface.co/docs/text-generation-inference/reference/launcher).
"""

from __future__ import annotations

from dataclasses import dataclass

GIB = 1024**3
USABLE_FRACTION = 0.9
KV_FACTOR = 2  # one K and one V tensor per layer

DTYPE_BYTES: dict[str, float] = {
    "float32": 4,
    "fp32": 4,
    "float16": 2,
    "fp16": 2,
    "bfloat16": 2,
    "bf16": 2,
    "int8": 1,
    "fp8": 1,
    "float8": 1,
}

# TGI QUANTIZE / LMI OPTION_QUANTIZE values -> bits per weight
QUANTIZATION_BITS: dict[str, int] = {
    "bitsandbytes": 8,
    "eetq": 8,
    "fp8": 8,
    "smoothquant": 8,
    "bitsandbytes-nf4": 4,
    "bitsandbytes-fp4": 4,
    "gptq": 4,
    "awq": 4,
    "marlin": 4,
    "exl2": 4,
}


@dataclass(frozen=True)
class Footprint:
    parameters: int
    weight_bytes_per_param: float
    kv_bytes_per_token: int | None  # None: the architecture is unknown
    tokens: int | None
    notes: tuple[str, ...] = ()

    @property
    def weights_gib(self) -> float:
        return self.parameters * self.weight_bytes_per_param / GIB

    @property
    def kv_cache_gib(self) -> float:
        if self.kv_bytes_per_token is None or self.tokens is None:
            return 0.0
        return self.kv_bytes_per_token * self.tokens / GIB

    @property
    def needed_gib(self) -> float:
        """GPU memory the engine must be given, across all its GPUs."""
        return (self.weights_gib + self.kv_cache_gib) / USABLE_FRACTION


def dtype_bytes(dtype: str) -> float:
    value = DTYPE_BYTES.get(dtype.lower())
    if value is None:
        raise ValueError(f"unknown dtype {dtype!r} (known: {', '.join(sorted(DTYPE_BYTES))})")
    return value


def kv_bytes_per_token(layers: int, kv_heads: int, head_dim: int, kv_bytes: float, per_layer: int = 1) -> int:
    return int(KV_FACTOR * layers * per_layer * kv_heads * head_dim * kv_bytes)
