"""The rules behind issue 13, on inline specs: what the containers and AWS refuse is found, what
they accept passes, and each cause is said once."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from sagespec.suggest import count, did_you_mean
from tests.helpers.repo import FIXTURES, findings_json, fixture_repo, run_cli

# the per-rule cases of tests/rules/test_rule_fixtures.py: tests/fixtures/rules/<module>/{good,bad}/
RULES = FIXTURES / "rules"

HEAD = """apiVersion: sagespec/v1
kind: Model
metadata: {{name: {name}, owner: nlp}}
spec:
  container: {{framework: {framework}, version: "{version}"}}
  weights:
    huggingface: {{model_id: org/model}}
"""
VERSIONS = {"tgi": "3.0.1", "lmi": "0.30.0", "tei": "1.8.2"}


def _spec(name: str, framework: str, body: str) -> str:
    return HEAD.format(name=name, framework=framework, version=VERSIONS[framework]) + body


def _check(tmp_path: Path, files: dict[str, str]) -> list[dict[str, Any]]:
    root = fixture_repo(tmp_path / "repo")
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    _, findings = findings_json(root)
    return [f for f in findings if f["file"] in files]


def _gpu_model(name: str, framework: str, environment: str) -> dict[str, str]:
    body = f"  environment: {environment}\n  deployment: {{type: realtime, instance_type: ml.g5.12xlarge}}\n"
    return {f"specs/models/{name}.yaml": _spec(name, framework, body)}


@pytest.mark.parametrize(
    "environment",
    [
        "{MAX_INPUT_LENGTH: 4095, MAX_TOTAL_TOKENS: 4096, MAX_BATCH_TOTAL_TOKENS: 8192}",  # README
        "{MAX_INPUT_TOKENS: 4000, MAX_TOTAL_TOKENS: 4096, MAX_BATCH_PREFILL_TOKENS: 4000}",
        "{MAX_TOTAL_TOKENS: 4096}",  # the others default from config.json: nothing to compare
    ],
)
def test_tgi_token_settings_that_start_pass(tmp_path: Path, environment: str) -> None:
    assert _check(tmp_path, _gpu_model("tgi-ok", "tgi", environment)) == []


def test_tgi_input_limit_given_twice_is_one_finding(tmp_path: Path) -> None:
    env = "{MAX_INPUT_TOKENS: 9000, MAX_INPUT_LENGTH: 9000, MAX_TOTAL_TOKENS: 4096}"
    found = _check(tmp_path, _gpu_model("tgi-twice", "tgi", env))
    assert [(f["code"], f["path"]) for f in found] == [("E414", "spec.environment.MAX_INPUT_LENGTH")]
    assert "deprecated alias" in found[0]["hint"]


@pytest.mark.parametrize(
    ("extra", "codes"),
    [
        ("", ["E414"]),  # vLLM: max_num_batched_tokens < max_model_len without chunked prefill
        (", OPTION_ENABLE_CHUNKED_PREFILL: true", []),
        (", OPTION_ROLLING_BATCH: trtllm", []),  # not handed to vLLM's scheduler
        # max_num_batched_tokens < max_num_seqs: refused even with chunked prefill
        (", OPTION_ENABLE_CHUNKED_PREFILL: true, OPTION_MAX_ROLLING_BATCH_SIZE: 8192", ["E414"]),
    ],
)
def test_lmi_prefill_tokens_against_model_length(tmp_path: Path, extra: str, codes: list[str]) -> None:
    env = "{OPTION_MAX_MODEL_LEN: 8192, OPTION_MAX_ROLLING_BATCH_PREFILL_TOKENS: 4096" + extra + "}"
    found = _check(tmp_path, _gpu_model("lmi-len", "lmi", env))
    assert [f["code"] for f in found] == codes
    assert all(f["path"] == "spec.environment.OPTION_MAX_ROLLING_BATCH_PREFILL_TOKENS" for f in found)


def test_lmi_tensor_parallel_max_is_accepted(tmp_path: Path) -> None:
    assert _check(tmp_path, _gpu_model("lmi-max", "lmi", "{OPTION_TENSOR_PARALLEL_DEGREE: max}")) == []


def test_tei_batch_settings_must_be_whole_numbers(tmp_path: Path) -> None:
    body = "  environment: {MAX_BATCH_TOKENS: 16k, MAX_CLIENT_BATCH_SIZE: 64}\n"
    body += "  deployment: {type: serverless, memory_mb: 2048, max_concurrency: 2}\n"
    found = _check(tmp_path, {"specs/models/tei-batch.yaml": _spec("tei-batch", "tei", body)})
    assert [(f["code"], f["path"], f["line"]) for f in found] == [
        ("E414", "spec.environment.MAX_BATCH_TOKENS", 8)
    ]
    assert "16k" not in found[0]["message"] + found[0]["hint"]


def test_tags_that_aws_accepts_pass(tmp_path: Path) -> None:
    text = _spec("tagged", "tei", "  deployment: {type: serverless, memory_mb: 1024, max_concurrency: 1}\n")
    text = text.replace(
        "owner: nlp}", "owner: Équipe NLP, tags: {team/area: 'search:ranking', budget-id: a+b=c@d_e.f}}"
    )
    assert _check(tmp_path, {"specs/models/tagged.yaml": text}) == []


def test_environment_tags_are_checked_too(tmp_path: Path) -> None:
    env = (FIXTURES / "repo" / "envs" / "dev" / "env.yaml").read_text()
    env = env.replace("spec:\n", "spec:\n  tags: {cost-center: 'a;b'}\n")
    found = _check(tmp_path, {"envs/dev/env.yaml": env})
    assert [(f["code"], f["path"]) for f in found] == [("E413", "spec.tags.cost-center")]
    assert "a;b" not in found[0]["message"] + found[0]["hint"]


def test_values_yaml_keeps_are_not_warned(tmp_path: Path) -> None:
    body = (
        "  environment: {A: '5:00', B: \"0777\", C: true, D: 1.5, E: 1.0, F: 0o777, G: 10, H: 'NO'}\n"
        "  deployment:\n"
        "    type: realtime\n"
        "    instance_type: ml.g5.12xlarge\n"
        "    autoscaling: {min_instances: 1, max_instances: 2, target_invocations_per_instance: 10.50}\n"
    )
    assert _check(tmp_path, {"specs/models/kept.yaml": _spec("kept", "tgi", body)}) == []


def test_conversion_hint_never_quotes_a_secret_variable(tmp_path: Path) -> None:
    body = (
        "  environment: {DB_PASSWORD: 0777}\n  deployment: {type: realtime, instance_type: ml.g5.12xlarge}\n"
    )
    found = _check(tmp_path, {"specs/models/secret-octal.yaml": _spec("secret-octal", "tgi", body)})
    assert {f["code"] for f in found} == {"E501", "W411"}
    assert all("0777" not in f["message"] + (f["hint"] or "") for f in found)


def test_number_where_text_belongs_gets_the_quoted_form(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo", RULES / "conversions" / "bad" / "yaml-conversions.yaml")
    _, findings = findings_json(root)
    version = next(f for f in findings if f["path"] == "spec.container.version")
    assert version["code"] == "E202" and version["hint"] == 'quote it so YAML keeps it as text: "3.0"'


def test_names_with_double_hyphens_validate(tmp_path: Path) -> None:
    text = _spec("phi--3", "tei", "  deployment: {type: serverless, memory_mb: 1024, max_concurrency: 1}\n")
    assert _check(tmp_path, {"specs/models/phi--3.yaml": text}) == []


def test_bad_name_hint_says_what_the_pattern_allows(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo", RULES / "structure" / "bad" / "Bad_Name.yaml")
    _, findings = findings_json(root)
    (name,) = [f for f in findings if f["code"] == "E308"]
    assert "single" not in name["hint"] and "starting and ending with a letter or digit" in name["hint"]


def test_long_name_is_one_finding_with_the_largest_cut(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    shutil.copytree(root / "envs" / "dev", root / "envs" / "staging")
    env = root / "envs" / "staging" / "env.yaml"
    env.write_text(env.read_text().replace("name: dev", "name: staging"))
    name = "a-very-long-model-name-that-will-not-fit-sagemaker-limits"
    shutil.copy(RULES / "identity" / "bad" / f"{name}.yaml", root / "specs" / "models")
    _, findings = findings_json(root)
    (long,) = [f for f in findings if f["code"] == "E306"]
    assert long["envs"] == []  # every env: none named
    assert "reach 74 characters" in long["message"]
    assert long["hint"].startswith("shorten metadata.name by 11 characters")  # staging: 74 - 63


def test_a_name_over_63_characters_is_one_finding(tmp_path: Path) -> None:
    name = "a-model-name-of-more-than-sixty-three-characters-which-sagemaker-refuses"
    text = (FIXTURES / "repo" / "specs" / "models" / "embed.yaml").read_text().replace("embed", name)
    found = _check(tmp_path, {f"specs/models/{name}.yaml": text})
    # the schema's maxLength (E205) says less than E306, which says how much to cut
    assert [f["code"] for f in found] == ["E306"]


def test_a_pool_left_idle_by_a_mistyped_reference_gets_no_idle_warning(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    chat = root / "specs" / "models" / "chat.yaml"
    chat.write_text(chat.read_text().replace("endpoint: pool", "endpoint: pol"))
    _, findings = findings_json(root)
    assert [(f["file"], f["code"]) for f in findings] == [("specs/models/chat.yaml", "E304")]
    chat.write_text(chat.read_text().replace("endpoint: pol", "endpoint: pool"))
    embed = root / "specs" / "models" / "embed.yaml"  # the warning stays where nothing is broken
    embed.write_text(embed.read_text() + "environments:\n  dev: {enabled: false}\n")
    chat.write_text(chat.read_text().replace("  dev:\n", "  dev:\n    enabled: false\n"))
    _, findings = findings_json(root)
    assert [(f["file"], f["code"], f["envs"]) for f in findings] == [
        ("specs/endpoints/pool.yaml", "W409", ["dev"])
    ]


def test_did_you_mean_for_names_we_look_up(tmp_path: Path) -> None:
    root = fixture_repo(
        tmp_path / "repo",
        RULES / "capacity" / "bad" / "endpoint-name-typo.yaml",
        RULES / "identity" / "bad" / "env-name-typo.yaml",
    )
    _, findings = findings_json(root)
    hints = {f["code"]: f["hint"] for f in findings}
    assert hints["E304"] == "did you mean 'pool'?"
    assert hints["E303"] == "did you mean 'prod'?"
    assert did_you_mean("3.0.2", ["3.0.1", "2.4.0"]) == "did you mean '3.0.1'?"
    assert did_you_mean("zzz", ["pool"], "create one") == "create one"


def test_counts_read_as_english() -> None:
    assert [count(1, "GPU"), count(4, "GPU"), count(1, "copy", "copies"), count(2, "copy", "copies")] == [
        "1 GPU",
        "4 GPUs",
        "1 copy",
        "2 copies",
    ]


def test_one_gpu_is_said_in_the_singular(tmp_path: Path) -> None:
    body = "  environment: {SM_NUM_GPUS: 2}\n  deployment: {type: realtime, instance_type: ml.g5.2xlarge}\n"
    found = _check(tmp_path, {"specs/models/one-gpu.yaml": _spec("one-gpu", "tgi", body)})
    assert [f["code"] for f in found] == ["E412"]
    assert "the 1 GPU on the instance" in found[0]["message"]


def test_a_policy_error_in_every_environment_is_one_finding(tmp_path: Path) -> None:
    body = "  deployment: {type: realtime, instance_type: ml.c5.xlarge}\n"
    found = _check(tmp_path, {"specs/models/cpu-type.yaml": _spec("cpu-type", "tei", body)})
    policy = [f for f in found if f["code"] == "E601"]
    assert len(policy) == 1 and policy[0]["envs"] == []  # every checked env: none named


def test_fifo_under_specs_is_reported_not_read(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    os.mkfifo(root / "specs" / "models" / "pipe.yaml")  # reading it would block forever
    _, findings = findings_json(root)
    assert [(f["file"], f["code"]) for f in findings] == [("specs/models/pipe.yaml", "E109")]


def test_a_folder_named_schema_below_specs_is_read(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    nested = root / "specs" / "models" / "schema"
    nested.mkdir()
    shutil.copy(RULES / "containers" / "bad" / "gpu-on-cpu.yaml", nested)
    _, findings = findings_json(root)
    assert [(f["file"], f["code"]) for f in findings] == [("specs/models/schema/gpu-on-cpu.yaml", "E407")]


@pytest.mark.parametrize(
    ("case", "values"),
    [
        ("tokens/bad/token-limits.yaml", ["4096", "2048", "3000", "lots"]),
        ("tags/bad/tags-and-owner.yaml", ["ml,research", "nlp\tteam", "aws:team"]),
        ("smoke/bad/smoke-path.yaml", ["[0].embedding"]),
        ("conversions/bad/yaml-conversions.yaml", ["4.40", "5:00", "010"]),
    ],
)
def test_messages_do_not_quote_the_spec_values(tmp_path: Path, case: str, values: list[str]) -> None:
    root = fixture_repo(tmp_path / "repo", RULES / case)
    _, findings = findings_json(root)
    messages = [f["message"] for f in findings if f["file"].endswith(Path(case).name)]
    assert messages and not [v for v in values for m in messages if v in m]


def test_did_you_mean_for_routing_and_env_arguments(tmp_path: Path) -> None:
    pool = (FIXTURES / "repo" / "specs" / "endpoints" / "pool.yaml").read_text()
    found = _check(tmp_path, {"specs/endpoints/pool.yaml": pool + "  routing: least-outstanding\n"})
    assert [(f["code"], f["hint"]) for f in found] == [("E204", "did you mean 'least-outstanding-requests'?")]
    code, _, err = run_cli("--root", str(tmp_path / "repo"), "validate", "--env", "prd")
    assert code == 2 and "did you mean 'prod'?" in err


def test_quoted_boolean_hint(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo", RULES / "structure" / "bad" / "wrong-types.yaml")
    _, findings = findings_json(root)
    isolation = next(f for f in findings if f["path"] == "spec.network_isolation")
    assert isolation["hint"] == "write true or false, without quotes"


def test_tag_problems_the_schema_reports_are_not_repeated(tmp_path: Path) -> None:
    text = _spec(
        "tag-dupes", "tei", "  deployment: {type: serverless, memory_mb: 1024, max_concurrency: 1}\n"
    )
    text = text.replace("owner: nlp}", "owner: nlp, tags: {'a,b': x, long: " + "y" * 300 + "}}")
    found = _check(tmp_path, {"specs/models/tag-dupes.yaml": text})
    assert sorted(f["code"] for f in found) == ["E204", "E205"]  # key characters, value length


def test_a_name_too_long_for_one_env_holds_back_only_that_render(tmp_path: Path) -> None:
    from sagespec import pipeline
    from sagespec.spec.project import load_project

    root = fixture_repo(tmp_path / "repo")
    shutil.copytree(root / "envs" / "dev", root / "envs" / "staging")
    env = root / "envs" / "staging" / "env.yaml"
    env.write_text(env.read_text().replace("name: dev", "name: staging"))
    name = "a" * 48  # <name>-<env>-<8 hex>: 62 in prod, 65 in staging
    body = "  deployment: {type: serverless, memory_mb: 1024, max_concurrency: 1}\n"
    (root / "specs" / "models" / f"{name}.yaml").write_text(_spec(name, "tei", body))
    outcome = pipeline.check(load_project(root))
    (long,) = [f for f in outcome.findings if f.code == "E306"]
    assert long.envs == ("staging",) and "shorten metadata.name by 2 characters" in str(long.hint)
    assert set(outcome.rendered) == {"dev", "prod"}


def test_unreadable_env_files_are_reported(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    (root / "envs" / "qa").mkdir()
    os.mkfifo(root / "envs" / "qa" / "env.yaml")
    (root / "envs" / "stage").mkdir()
    shutil.copy(root / "envs" / "dev" / "env.yaml", root / "envs" / "stage" / "env.yml")
    _, findings = findings_json(root)
    assert sorted((f["file"], f["code"]) for f in findings) == [
        ("envs/qa/env.yaml", "E109"),
        ("envs/stage/env.yml", "E109"),
    ]


def test_tgi_deprecated_input_name_is_checked_and_named_as_written(tmp_path: Path) -> None:
    env = "{MAX_INPUT_LENGTH: 4096, MAX_TOTAL_TOKENS: 4096}"
    found = _check(tmp_path, _gpu_model("tgi-alias", "tgi", env))
    assert [(f["code"], f["path"]) for f in found] == [("E414", "spec.environment.MAX_INPUT_LENGTH")]
    assert found[0]["message"].startswith("MAX_INPUT_LENGTH must be below MAX_TOTAL_TOKENS")
