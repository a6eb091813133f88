"""`sagespec size` end to end on a scratch repository with local weights and a config.json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sagespec.sizing import memory
from tests.helpers.repo import fixture_repo, run_cli

CONFIGS = Path(__file__).resolve().parent.parent / "fixtures" / "configs"

SPEC = """apiVersion: sagespec/v1
kind: Model
metadata: {{name: mistral, owner: nlp}}
spec:
  container: {{framework: tgi, version: "3.0.1"}}
  weights: {{local: {{path: models/mistral/weights}}}}
  environment: {{{environment}}}
  deployment: {{type: realtime, instance_type: {instance}}}
"""


def _repo(
    tmp_path: Path, environment: str = "MAX_BATCH_TOTAL_TOKENS: 8192", instance: str = "ml.g5.xlarge"
) -> Path:
    root = fixture_repo(tmp_path / "repo")
    weights = root / "models" / "mistral" / "weights"
    weights.mkdir(parents=True)
    shutil.copy(CONFIGS / "mistral-7b-v0.1.json", weights / "config.json")
    (root / "specs" / "models" / "mistral.yaml").write_text(
        SPEC.format(environment=environment, instance=instance)
    )
    return root


def _size(root: Path, *args: str) -> tuple[int, dict[str, object], str]:
    code, out, err = run_cli("--root", str(root), "size", "mistral", "--format", "json", *args)
    assert "Traceback" not in err
    return code, json.loads(out) if out else {}, err


def test_json_shape_and_cheapest(tmp_path: Path) -> None:
    code, doc, _ = _size(_repo(tmp_path))
    assert code == 0
    assert set(doc) == {"fits", "cheapest"}
    fits = doc["fits"]
    assert isinstance(fits, list) and fits
    assert set(fits[0]) == {"instance_type", "tensor_parallel_degree", "gpu_memory_needed_gb", "usd_per_hour"}
    # 7.24e9 x 2 bytes + 8192 tokens x 128 KiB, over 90 % usable
    expected = (7_241_732_096 * 2 + 8192 * 131_072) / memory.GIB / 0.9
    assert fits[0]["gpu_memory_needed_gb"] == pytest.approx(expected, abs=0.01)
    # the cheapest priced single-A10G/L4 type in us-east-1 (prices.json: g6.2xlarge 1.222 < g5.xlarge 1.4084)
    assert doc["cheapest"] == fits[0]
    assert fits[0]["instance_type"] == "ml.g6.2xlarge"
    assert fits[0]["tensor_parallel_degree"] == 1
    prices = [f["usd_per_hour"] for f in fits if f["usd_per_hour"] is not None]
    assert prices == sorted(prices)


def test_env_policy_and_budget_filter(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    code, doc, _ = _size(root, "--env", "dev")  # dev allows ml.g5.* and ml.m5.*
    assert code == 0
    assert all(str(f["instance_type"]).startswith("ml.g5.") for f in doc["fits"])  # type: ignore[union-attr]
    assert doc["cheapest"]["instance_type"] == "ml.g5.xlarge"  # type: ignore[index]
    code, doc, _ = _size(root, "--env", "dev", "--budget", "1.0")
    assert code == 1 and doc["fits"] == [] and doc["cheapest"] is None


def test_long_context_needs_tensor_parallelism(tmp_path: Path) -> None:
    # 32 sequences x 4096 tokens: 16 GiB of KV cache on top of 13.5 GiB of weights -> two A10Gs at least
    root = _repo(tmp_path, "MAX_TOTAL_TOKENS: 4096, OPTION_MAX_ROLLING_BATCH_SIZE: 32")
    code, doc, _ = _size(root)
    assert code == 0
    by_type = {f["instance_type"]: f for f in doc["fits"]}  # type: ignore[union-attr]
    assert "ml.g5.xlarge" not in by_type
    assert by_type["ml.g5.12xlarge"]["tensor_parallel_degree"] == 2


def test_quantization_shrinks_the_weights(tmp_path: Path) -> None:
    _, plain, _ = _size(_repo(tmp_path / "a"))
    _, awq, _ = _size(_repo(tmp_path / "b", "MAX_BATCH_TOTAL_TOKENS: 8192, QUANTIZE: awq"))
    need = plain["fits"][0]["gpu_memory_needed_gb"]  # type: ignore[index]
    need_awq = awq["fits"][0]["gpu_memory_needed_gb"]  # type: ignore[index]
    assert need_awq == pytest.approx(need - 7_241_732_096 * 1.5 / memory.GIB / 0.9, abs=0.02)


def test_spec_size_without_config(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    chat = root / "specs" / "models" / "chat.yaml"
    chat.write_text(
        chat.read_text().replace(
            "  deployment:\n", "  size: {parameters: 7.0e10, dtype: bfloat16}\n  deployment:\n", 1
        )
    )
    code, out, err = run_cli("--root", str(root), "size", "chat")
    assert code == 0, err
    assert "70.00B parameters (spec size)" in out
    assert "KV cache not counted" in out
    assert "ml.g5.48xlarge" in out  # 130 GiB of weights: only 8 x A10G (or bigger) hold it


def test_unsizable_model_is_a_clear_error(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    code, _out, err = run_cli("--root", str(root), "size", "chat")
    assert code == 2
    assert "cannot size the model" in err and "hint:" in err and "Traceback" not in err
    code, _, err = run_cli("--root", str(root), "size", "nope")
    assert code == 2 and "no kind Model named 'nope'" in err


def _codes(root: Path) -> list[tuple[str, str]]:
    from tests.helpers.repo import findings_json

    _, findings = findings_json(root)
    return [(f["code"], f["message"]) for f in findings if f["code"].startswith("W42")]


def test_validation_warns_when_the_instance_cannot_hold_the_model(tmp_path: Path) -> None:
    # 32 x 4096 tokens of KV cache (16 GiB) + 13.5 GiB of weights do not fit one A10G (22.4 GiB)
    root = _repo(tmp_path, "MAX_TOTAL_TOKENS: 4096, OPTION_MAX_ROLLING_BATCH_SIZE: 32")
    found = _codes(root)
    assert [code for code, _ in found] == ["W420"]
    assert "1 GPU of ml.g5.xlarge holds 22.4 GiB" in found[0][1]


def test_no_warning_when_it_fits(tmp_path: Path) -> None:
    assert _codes(_repo(tmp_path)) == []
    assert (
        _codes(
            _repo(
                tmp_path / "big",
                "MAX_TOTAL_TOKENS: 4096, OPTION_MAX_ROLLING_BATCH_SIZE: 32",
                "ml.g5.12xlarge",
            )
        )
        == []
    )


def test_spec_size_in_scientific_notation_validates(tmp_path: Path) -> None:
    from tests.helpers.repo import findings_json

    root = fixture_repo(tmp_path / "repo")
    chat = root / "specs" / "models" / "chat.yaml"
    chat.write_text(
        chat.read_text().replace(
            "  deployment:\n", "  size: {parameters: 7.2e9, dtype: bfloat16}\n  deployment:\n", 1
        )
    )
    code, findings = findings_json(root)
    assert code == 0, findings
    chat.write_text(chat.read_text().replace("7.2e9", "seven"))
    code, findings = findings_json(root)
    assert code == 1 and any(f["path"] == "spec.size.parameters" for f in findings), findings


def test_config_from_the_hugging_face_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import huggingface_hub.constants

    repo = tmp_path / "hub" / "models--mistralai--Mistral-7B-Instruct-v0.1"
    (repo / "snapshots" / "abc123").mkdir(parents=True)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("abc123")
    shutil.copy(CONFIGS / "mistral-7b-v0.1.json", repo / "snapshots" / "abc123" / "config.json")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    root = fixture_repo(tmp_path / "repo")
    code, out, err = run_cli("--root", str(root), "size", "chat", "--env", "dev")
    assert code == 0, err
    assert "7.24B parameters (Hugging Face cache: mistralai/Mistral-7B-Instruct-v0.1)" in out
    assert "cheapest: ml.g5.xlarge" in out


def test_warning_counts_only_the_gpus_one_copy_is_sharded_over(tmp_path: Path) -> None:
    # 29.5 GiB of weights + KV fits 4 A10Gs, not the 1 GPU per worker that TP 1 leaves each copy
    big = "MAX_TOTAL_TOKENS: 4096, OPTION_MAX_ROLLING_BATCH_SIZE: 32"
    assert _codes(_repo(tmp_path / "all", big, "ml.g5.12xlarge")) == []
    found = _codes(_repo(tmp_path / "tp1", big + ", OPTION_TENSOR_PARALLEL_DEGREE: 1", "ml.g5.12xlarge"))
    assert [code for code, _ in found] == ["W420"] and "1 GPU of ml.g5.12xlarge" in found[0][1]
