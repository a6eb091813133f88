"""`sagespec review` end to end on a scratch clone: the issue's "done when", offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sagespec.catalog import reader as catalogs
from sagespec.cost.model import HOURS_PER_MONTH
from tests.review.scratch import bigger_change, edit, git, review, review_json


def _price(instance_type: str) -> float:
    price = catalogs.instance_price(instance_type, "us-east-1")
    assert price is not None, (
        f"the catalog has no sourced price for {instance_type}: the review cannot show $"
    )
    return price.usd_per_hour


def test_bigger_change_names_both_specs_shows_cost_and_flags_the_replacement(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bigger_change(scratch)
    code, out, err = review(scratch, capsys, "--base", "main")
    assert code == 0, out + err
    assert out.startswith("<!-- sagespec-review -->\n")
    assert "✅ **Specs valid**" in out
    assert "`mistral-7b-instruct`" in out and "`gpt-neo-125m`" in out and "`gpu-pool`" in out
    # field-level spec diff
    assert (
        "- spec.deployment.instance_type: ml.m5.large\n+ spec.deployment.instance_type: ml.m5.xlarge" in out
    )
    assert "+ spec.deployment.copies: 8" in out
    # resource changes, as Terraform planned them: a new endpoint config (create before delete), the
    # endpoint updated in place (blue/green), the copy-count bounds of the autoscaled component widened
    config = 'module.endpoint["gpt-neo-125m"].aws_sagemaker_endpoint_configuration.this'
    assert f"🔁 **replace** | `{config}` | new configuration created before the old one is deleted" in out
    assert "endpoint updated in place (UpdateEndpoint): blue/green" in out
    target = 'module.inference_component["mistral-7b-instruct"].aws_appautoscaling_target.this'
    assert f"✏️ **update** | `{target}` | scaling bounds change in place" in out
    # prod is protected: its replacements are in the warning block at the top
    top = out.split("### Spec changes")[0]
    assert "[!WARNING]" in top and f"**prod** · `{config}` · **replace**" in top
    # cost: $ per hour and month with a positive delta in prod
    delta_hourly = _price("ml.g5.12xlarge") + _price("ml.m5.xlarge") - _price("ml.m5.large")
    assert f"+${delta_hourly * HOURS_PER_MONTH:,.2f}" in top  # prod's line of the summary table
    assert "ml.m5.large x1 → ml.m5.xlarge x1" in out
    assert "hosts mistral-7b-instruct x8" in out
    assert "Price source 1:" in out and "Cost assumptions:" in out


def test_json_carries_the_same_facts(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bigger_change(scratch)
    code, doc = review_json(scratch, capsys, "--base", "main")
    assert code == 0 and doc["ok"] is True and doc["schema"] == "sagespec.review/v1"
    changed = {(s["kind"], s["name"]): s for s in doc["specs"]}
    assert changed[("Model", "gpt-neo-125m")]["status"] == "changed"
    assert {
        "path": "spec.deployment.instance_type",
        "change": "changed",
        "before": "ml.m5.large",
        "after": "ml.m5.xlarge",
    } in changed[("Model", "gpt-neo-125m")]["fields"]
    assert ("Model", "mistral-7b-instruct") in changed and ("Endpoint", "gpu-pool") in changed
    prod = next(e for e in doc["environments"] if e["env"] == "prod")
    assert prod["protected"] is True and prod["status"] == "changed"
    actions = {c["address"]: c["actions"] for c in prod["resource_changes"]}
    assert actions['module.endpoint["gpt-neo-125m"].aws_sagemaker_endpoint_configuration.this'] == [
        "create",
        "delete",
    ]
    assert actions['module.endpoint["gpt-neo-125m"].aws_sagemaker_endpoint.this'] == ["update"]
    # autoscaled: `copies` is the starting count only; the wider bounds update the scalable target
    assert actions['module.inference_component["mistral-7b-instruct"].aws_appautoscaling_target.this'] == [
        "update"
    ]
    assert not [a for a in actions if a.endswith("awscc_sagemaker_inference_component.this")]
    assert prod["plan"]["source"] == "offline"
    expected = (_price("ml.g5.12xlarge") + _price("ml.m5.xlarge") - _price("ml.m5.large")) * HOURS_PER_MONTH
    assert prod["cost"]["monthly_usd"]["delta"] == pytest.approx(expected)
    neo = next(r for r in prod["cost"]["endpoints"] if r["key"] == "gpt-neo-125m")
    assert neo["hourly_usd"]["delta"] == pytest.approx(_price("ml.m5.xlarge") - _price("ml.m5.large"))
    assert neo["head"]["instance_type"] == "ml.m5.xlarge"
    assert any(a["level"] == "warning" and a["env"] == "prod" for a in doc["alerts"])
    assert doc["cost"]["sources"] and all(s["url"] and s["as_of"] for s in doc["cost"]["sources"])
    dev = next(e for e in doc["environments"] if e["env"] == "dev")
    assert dev["protected"] is False  # dev's pool kept its single instance
    assert not any("gpu-pool" in c["address"] for c in dev["resource_changes"])


def test_invalid_spec_exits_1_naming_the_file_and_still_reports(
    scratch: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    edit(
        scratch / "specs" / "models" / "gpt-neo-125m.yaml",
        "instance_type: ml.m5.large",
        "instance_type: ml.m5.huge",
    )
    out_file = tmp_path / "review.md"
    code, out, err = review(scratch, capsys, "--base", "main", "--out", str(out_file))
    assert code == 1
    text = out_file.read_text(encoding="utf-8")
    assert text.startswith("<!-- sagespec-review -->") and "❌ **Specs invalid: " in text
    assert "specs/models/gpt-neo-125m.yaml:" in text and "error[E" in text
    assert "INVALID" in err and out == ""
    code, doc = review_json(scratch, capsys, "--base", "main")
    assert code == 1 and doc["ok"] is False and doc["exit_code"] == 1
    assert any(
        f["file"] == "specs/models/gpt-neo-125m.yaml" and f["severity"] == "error" for f in doc["findings"]
    )


def test_broken_yaml_is_a_finding_not_a_crash(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (scratch / "specs" / "models" / "gpt-neo-125m.yaml").write_text("spec: [unclosed\n", encoding="utf-8")
    code, out, _ = review(scratch, capsys, "--base", "main")
    assert code == 1
    assert "specs/models/gpt-neo-125m.yaml:" in out
    assert "the head's file does not load" in out  # not reported as a removal


def test_removed_and_added_specs(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(scratch, "rm", "-q", "specs/models/bart-summarizer.yaml")
    source = (scratch / "specs" / "models" / "gpt-neo-125m.yaml").read_text(encoding="utf-8")
    (scratch / "specs" / "models" / "gpt-neo-copy.yaml").write_text(
        source.replace("name: gpt-neo-125m", "name: gpt-neo-copy"), encoding="utf-8"
    )
    code, doc = review_json(scratch, capsys, "--base", "main")
    assert code == 0
    status = {s["name"]: s["status"] for s in doc["specs"] if s["kind"] == "Model"}
    assert status == {"bart-summarizer": "removed", "gpt-neo-copy": "added"}
    staging = next(e for e in doc["environments"] if e["env"] == "staging")
    gone = 'module.endpoint["bart-summarizer"].aws_sagemaker_endpoint.this'
    destroyed = next(c for c in staging["changes"] if c["address"] == gone)
    assert destroyed["actions"] == ["delete"] and destroyed["disruptive"] is True
    assert "endpoint deleted: traffic to it stops" in destroyed["impact"]
    created = next(
        c
        for c in staging["changes"]
        if c["address"] == 'module.endpoint["gpt-neo-copy"].aws_sagemaker_endpoint.this'
    )
    assert created["actions"] == ["create"]
    bart = next(r for r in staging["cost"]["endpoints"] if r["key"] == "bart-summarizer")
    # async scaled to zero: priced at its minimum of 0, so removing it saves nothing per hour now
    assert bart["head"] is None and bart["hourly_usd"]["base"] == 0.0 and bart["hourly_usd"]["delta"] == 0.0
    copy = next(r for r in staging["cost"]["endpoints"] if r["key"] == "gpt-neo-copy")
    assert copy["hourly_usd"]["delta"] == pytest.approx(_price("ml.m5.large")) and copy["priced"] is True
    _, md, _ = review(scratch, capsys, "--base", "main")
    assert "[!CAUTION]" in md.split("### Spec changes")[0]
    assert f"**staging** · `{gone}` · **destroy**" in md


def test_realtime_to_serverless_is_a_replacement_with_downtime(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = scratch / "specs" / "models" / "gpt-neo-125m.yaml"
    edit(
        path,
        "    type: realtime\n    instance_type: ml.m5.large\n    instance_count: 1\n",
        "    type: serverless\n    memory_mb: 4096\n    max_concurrency: 5\n",
    )
    code, doc = review_json(scratch, capsys, "--base", "main")
    # prod is protected: the downtime is refused (E801) until the spec sets rollout.allow_downtime
    assert code == 1 and [f["code"] for f in doc["findings"] if f["severity"] == "error"] == ["E801"]
    prod = next(e for e in doc["environments"] if e["env"] == "prod")
    # UpdateEndpoint cannot turn a real-time endpoint serverless
    # (docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints-update.html): it is replaced
    address = 'module.endpoint["gpt-neo-125m"].aws_sagemaker_endpoint.this'
    endpoint = next(c for c in prod["changes"] if c["address"] == address)
    assert endpoint["actions"] == ["delete", "create"] and endpoint["disruptive"] is True
    assert "DOWNTIME" in endpoint["impact"]


def test_secret_references_are_never_printed(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = "arn:aws:secretsmanager:us-east-1:333333333333:secret:hf-token-AbCdEf"  # prod's own secret
    new = "arn:aws:secretsmanager:us-east-1:333333333333:secret:hf-token-ZyXwVu"
    edit(scratch / "specs" / "models" / "mistral-7b-instruct.yaml", old, new)
    code, md, _ = review(scratch, capsys, "--base", "main")
    _, doc = review_json(scratch, capsys, "--base", "main")
    text = md + json.dumps(doc)
    assert code == 0
    assert "hf-token" not in text
    assert (
        "- environments.prod.weights.huggingface.token_secret: <redacted>\n"
        "+ environments.prod.weights.huggingface.token_secret: <redacted>"
    ) in md
    assert "<redacted>" in json.dumps(doc["specs"])


def test_no_change_review_is_quiet(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = review(scratch, capsys, "--base", "main")
    assert code == 0
    assert "No spec, environment or artifact changes." in out
    assert "No resource changes in: dev, prod, staging." in out
    assert "[!WARNING]" not in out and "[!CAUTION]" not in out
