"""Parameter counts from config.json against the counts the model publishers state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sagespec.sizing import architecture, memory

CONFIGS = Path(__file__).resolve().parent.parent / "fixtures" / "configs"

# Exact parameter counts shown on each model's Hugging Face page (safetensors metadata):
# huggingface.co/mistralai/Mistral-7B-v0.1, /meta-llama/Llama-2-7b-hf, /tiiuae/falcon-7b,
# /EleutherAI/gpt-neo-125m, /google/flan-t5-base.
PUBLISHED = {
    "mistral-7b-v0.1": 7_241_732_096,
    "llama-2-7b": 6_738_415_616,
    "falcon-7b": 6_921_720_704,
    "gpt-neo-125m": 125_198_592,
    "flan-t5-base": 247_577_856,
}


def _config(name: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((CONFIGS / f"{name}.json").read_text())
    return data


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_parameter_count_matches_the_published_count(name: str) -> None:
    assert architecture.from_config(_config(name)).parameters == PUBLISHED[name]


def test_grouped_query_attention_caches_only_the_kv_heads() -> None:
    arch = architecture.from_config(_config("mistral-7b-v0.1"))
    assert (arch.layers, arch.kv_heads, arch.head_dim) == (32, 8, 128)
    # 2 x 32 layers x 8 heads x 128 x 2 bytes = 128 KiB per token
    assert memory.kv_bytes_per_token(arch.layers, arch.kv_heads, arch.head_dim, 2) == 131_072


def test_lmi_guide_worked_example_llama2_13b() -> None:
    # DJL LMI instance-type-selection guide: 2 * 2 * 5120 * 40 = 819,200 bytes per token
    assert memory.kv_bytes_per_token(40, 40, 128, 2) == 819_200


def test_falcon_multi_query_and_new_architecture() -> None:
    assert architecture.from_config(_config("falcon-7b")).kv_heads == 1
    assert architecture.from_config(_config("falcon-40b")).kv_heads == 8


def test_t5_decoder_caches_self_and_cross_attention() -> None:
    arch = architecture.from_config(_config("flan-t5-base"))
    assert (arch.layers, arch.kv_per_layer) == (12, 2)


def test_unknown_architecture_says_what_to_do() -> None:
    with pytest.raises(architecture.UnsupportedConfig, match="size: "):
        architecture.from_config({"model_type": "bert", "hidden_size": 768})


def test_missing_key_is_named() -> None:
    config = _config("llama-2-7b")
    del config["intermediate_size"]
    with pytest.raises(architecture.UnsupportedConfig, match="intermediate_size"):
        architecture.from_config(config)
