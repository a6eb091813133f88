"""Parameter count and KV-cache shape of a model, from its Hugging Face config.json.

Counts follow each architecture's modelling code in transformers (the weight matrices a layer
holds); the config keys are those the transformers config classes define. Supported:
llama / mistral / mixtral-free decoders with grouped-query attention (LlamaConfig, MistralConfig,
also qwen2-style configs with the same keys), falcon (FalconConfig and the older RW keys),
gpt-neo (GPTNeoConfig) and t5 (T5Config).
Sources: https://huggingface.co/docs/transformers/model_doc/llama (LlamaConfig: hidden_size,
intermediate_size, num_hidden_layers, num_attention_heads, num_key_value_heads, head_dim,
tie_word_embeddings), .../model_doc/falcon, .../model_doc/gpt_neo, .../model_doc/t5.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Config = dict[str, Any]


class UnsupportedConfig(ValueError):
    """config.json lacks a key we need, or describes an architecture we cannot count."""


@dataclass(frozen=True)
class Architecture:
    family: str
    parameters: int
    layers: int  # layers that keep a KV cache
    kv_heads: int
    head_dim: int
    attention_heads: int
    kv_per_layer: int = 1  # t5 decoders cache self- and cross-attention: 2
    max_positions: int | None = None
    config_dtype: str | None = None


def _int(config: Config, *keys: str, default: int | None = None) -> int:
    for key in keys:
        value = config.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    if default is not None:
        return default
    raise UnsupportedConfig(f"config.json has no integer {' or '.join(keys)}")


def _dtype(config: Config) -> str | None:
    value = config.get("torch_dtype", config.get("dtype"))
    return str(value) if isinstance(value, str) else None


def _llama(config: Config) -> Architecture:
    hidden = _int(config, "hidden_size")
    layers = _int(config, "num_hidden_layers")
    heads = _int(config, "num_attention_heads")
    kv_heads = _int(config, "num_key_value_heads", default=heads)
    head_dim = _int(config, "head_dim", default=hidden // heads)
    inter = _int(config, "intermediate_size")
    vocab = _int(config, "vocab_size")
    attention = hidden * heads * head_dim * 2 + hidden * kv_heads * head_dim * 2  # q, o + k, v
    mlp = 3 * hidden * inter  # gate, up, down (SwiGLU)
    per_layer = attention + mlp + 2 * hidden  # two RMSNorm weights
    embeddings = vocab * hidden * (1 if config.get("tie_word_embeddings", False) else 2)
    total = layers * per_layer + embeddings + hidden  # + final norm
    return Architecture(
        "llama",
        total,
        layers,
        kv_heads,
        head_dim,
        heads,
        max_positions=config.get("max_position_embeddings"),
        config_dtype=_dtype(config),
    )


def _falcon(config: Config) -> Architecture:
    hidden = _int(config, "hidden_size", "d_model")
    layers = _int(config, "num_hidden_layers", "n_layer")
    heads = _int(config, "num_attention_heads", "n_head")
    new_arch = bool(config.get("new_decoder_architecture", False))
    if new_arch:
        kv_heads = _int(config, "num_kv_heads", "n_head_kv", default=heads)
    else:
        kv_heads = 1 if config.get("multi_query", True) else heads
    head_dim = hidden // heads
    ffn = _int(config, "ffn_hidden_size", default=4 * hidden)
    bias = 1 if config.get("bias", False) else 0
    qkv = hidden * (heads + 2 * kv_heads) * head_dim + bias * (heads + 2 * kv_heads) * head_dim
    dense = hidden * hidden + bias * hidden
    mlp = 2 * hidden * ffn + bias * (ffn + hidden)
    norms = 2 * 2 * hidden if new_arch or not config.get("parallel_attn", True) else 2 * hidden
    vocab = _int(config, "vocab_size")
    embeddings = vocab * hidden * (1 if config.get("tie_word_embeddings", True) else 2)
    total = layers * (qkv + dense + mlp + norms) + embeddings + 2 * hidden  # + ln_f
    return Architecture("falcon", total, layers, kv_heads, head_dim, heads, config_dtype=_dtype(config))


def _gpt_neo(config: Config) -> Architecture:
    hidden = _int(config, "hidden_size")
    layers = _int(config, "num_layers")
    heads = _int(config, "num_heads")
    inner = config.get("intermediate_size") or 4 * hidden
    vocab = _int(config, "vocab_size")
    positions = _int(config, "max_position_embeddings")
    attention = 3 * hidden * hidden + hidden * hidden + hidden  # q, k, v without bias; out_proj with
    mlp = hidden * inner + inner + inner * hidden + hidden
    per_layer = attention + mlp + 2 * 2 * hidden  # ln_1, ln_2 (weight + bias)
    total = layers * per_layer + vocab * hidden + positions * hidden + 2 * hidden  # tied lm_head
    return Architecture(
        "gpt-neo",
        total,
        layers,
        heads,
        hidden // heads,
        heads,
        max_positions=positions,
        config_dtype=_dtype(config),
    )


def _t5(config: Config) -> Architecture:
    d_model = _int(config, "d_model")
    d_kv = _int(config, "d_kv")
    heads = _int(config, "num_heads")
    d_ff = _int(config, "d_ff")
    enc_layers = _int(config, "num_layers")
    dec_layers = _int(config, "num_decoder_layers", default=enc_layers)
    vocab = _int(config, "vocab_size")
    buckets = _int(config, "relative_attention_num_buckets", default=32)
    inner = heads * d_kv
    attention = 4 * d_model * inner  # q, k, v, o
    gated = str(config.get("feed_forward_proj", "relu")).startswith("gated")
    ff = (3 if gated else 2) * d_model * d_ff
    encoder = enc_layers * (attention + ff + 2 * d_model)
    decoder = dec_layers * (2 * attention + ff + 3 * d_model)
    embeddings = vocab * d_model * (1 if config.get("tie_word_embeddings", True) else 2)
    total = encoder + decoder + embeddings + 2 * buckets * heads + 2 * d_model
    return Architecture(
        "t5", total, dec_layers, heads, d_kv, heads, kv_per_layer=2, config_dtype=_dtype(config)
    )


_BY_MODEL_TYPE = {
    "llama": _llama,
    "mistral": _llama,
    "qwen2": _llama,
    "falcon": _falcon,
    "RefinedWeb": _falcon,
    "RefinedWebModel": _falcon,
    "gpt_neo": _gpt_neo,
    "t5": _t5,
}


def from_config(config: Config) -> Architecture:
    model_type = config.get("model_type")
    counter = _BY_MODEL_TYPE.get(str(model_type))
    if counter is None:
        known = ", ".join(sorted(_BY_MODEL_TYPE))
        raise UnsupportedConfig(
            f"model_type {model_type!r} is not one sagespec can count (known: {known}); "
            "give `size: {parameters, dtype}` in the spec"
        )
    return counter(config)
