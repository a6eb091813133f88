"""The execution role's IAM conditions (issue 9): our own check, proven on bad and good inputs.

Two inputs are judged by the same rules (sagespec.terraform.iam_check): `terraform show -json`
plans (what `sagespec plan` checks), and the module's HCL itself, read with python-hcl2 into IAM
statements, because no provider here can plan the real module. The bad HCL fixture is the module
as it was before: no trust, KMS or VPC conditions, and GetSecretValue granted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import hcl2
import pytest

from sagespec.terraform.iam_check import check_plan, check_statements

REPO = Path(__file__).resolve().parents[2]
MODULE = REPO / "modules" / "execution-role" / "main.tf"
UNCONDITIONED = REPO / "tests" / "fixtures" / "iam" / "unconditioned-execution-role.tf"
ARN = "arn:aws:s3:::acme-sagespec-dev-artifacts"


# ---- the module's HCL as IAM statements ---------------------------------------------------------------


def _text(value: Any) -> Any:
    """python-hcl2 keeps string quotes; interpolations stay as `${...}` text."""
    if isinstance(value, str):
        return value[1:-1] if value.startswith('"') and value.endswith('"') else value
    if isinstance(value, list):
        return [_text(v) for v in value]
    return value


def _conditions(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for block in blocks:
        out.setdefault(_text(block["test"]), {})[_text(block["variable"])] = _text(block["values"])
    return out


def _statement(sid: str, actions: Any, resources: Any, conditions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Action": _text(actions),
        "Resource": _text(resources),
        "Condition": _conditions(conditions),
    }


def module_statements(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(trust statements, permission statements) of an execution-role main.tf."""
    parsed = hcl2.loads(path.read_text(encoding="utf-8"))
    documents = {
        _text(name): body
        for block in parsed["data"]
        for kind, named in block.items()
        if _text(kind) == "aws_iam_policy_document"
        for name, body in named.items()
    }
    trust = [
        {
            "Sid": _text(s.get("sid", "")),
            "Effect": "Allow",
            "Action": _text(s["actions"]),
            "Principal": {_text(p["type"]): _text(p["identifiers"]) for p in s.get("principals", [])},
            "Condition": _conditions(s.get("condition", [])),
        }
        for s in documents["assume_role"]["statement"]
    ]
    table = [row for block in parsed["locals"] for row in block.get("statements", [])]
    permissions = [_statement(_text(r["sid"]), r["actions"], r["resources"], r["conditions"]) for r in table]
    permissions += [
        _statement(_text(s["sid"]), s["actions"], s["resources"], s.get("condition", []))
        for s in documents["this"].get("statement", [])
        if "sid" in s
    ]
    return trust, permissions


def module_problems(path: Path) -> set[str]:
    trust, permissions = module_statements(path)
    return {
        f"{sid}: {m}"
        for sid, m in check_statements("trust", trust) + check_statements("permissions", permissions)
    }


def test_the_unconditioned_role_fails_every_rule() -> None:
    assert module_problems(UNCONDITIONED) == {
        "SageMakerAssumeRole: trust of sagemaker.amazonaws.com without aws:SourceAccount and aws:SourceArn",
        "KmsUse: KMS actions without a kms:ViaService condition",
        "KmsGrantsForSageMaker: KMS actions without a kms:ViaService condition",
        "VpcNetworkInterfaces: network-interface actions on a wildcard resource"
        " without an ec2:Subnet/ec2:Vpc condition",
        "SecretsRead: secretsmanager:GetSecretValue granted, though Terraform injects secret values",
    }


def test_the_module_has_every_condition() -> None:
    assert module_problems(MODULE) == set()
    trust, permissions = module_statements(MODULE)
    assert trust[0]["Condition"]["ArnLike"]["aws:SourceArn"] == [
        "arn:${local.partition}:sagemaker:${var.region}:${var.account_id}:*"
    ]
    eni = next(s for s in permissions if s["Sid"] == "VpcNetworkInterfaces")
    assert eni["Condition"] == {"ArnEquals": {"ec2:Subnet": "${local.subnets}"}}


# ---- plans -------------------------------------------------------------------------------------------


def _plan(trust: list[dict[str, Any]], statements: list[dict[str, Any]]) -> dict[str, Any]:
    def change(address: str, rtype: str, values: dict[str, Any]) -> dict[str, Any]:
        return {"address": address, "type": rtype, "change": {"actions": ["create"], "after": values}}

    return {
        "resource_changes": [
            change(
                "module.execution_role.aws_iam_role.this",
                "aws_iam_role",
                {"assume_role_policy": json.dumps({"Version": "2012-10-17", "Statement": trust})},
            ),
            change(
                "module.execution_role.aws_iam_role_policy.this",
                "aws_iam_role_policy",
                {"policy": json.dumps({"Version": "2012-10-17", "Statement": statements})},
            ),
        ]
    }


TRUST = {
    "Sid": "SageMakerAssumeRole",
    "Effect": "Allow",
    "Action": "sts:AssumeRole",
    "Principal": {"Service": "sagemaker.amazonaws.com"},
    "Condition": {
        "StringEquals": {"aws:SourceAccount": "123456789012"},
        "ArnLike": {"aws:SourceArn": "arn:aws:sagemaker:us-east-1:123456789012:*"},
    },
}
GOOD = [
    {
        "Sid": "S3ReadArtifacts",
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": [f"{ARN}/async/b-dev/input/*"],
    },
    {
        "Sid": "S3WriteOutputs",
        "Effect": "Allow",
        "Action": ["s3:AbortMultipartUpload", "s3:PutObject"],
        "Resource": [f"{ARN}/async/b-dev/failure/*", f"{ARN}/async/b-dev/output/*"],
    },
    {
        "Sid": "KmsUse",
        "Effect": "Allow",
        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
        "Resource": "arn:aws:kms:us-east-1:123456789012:key/k",
        "Condition": {"StringEquals": {"kms:ViaService": ["s3.us-east-1.amazonaws.com"]}},
    },
    {
        "Sid": "VpcNetworkInterfaces",
        "Effect": "Allow",
        "Action": ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"],
        "Resource": "arn:aws:ec2:us-east-1:123456789012:network-interface/*",
        "Condition": {"ArnEquals": {"ec2:Subnet": ["arn:aws:ec2:us-east-1:123456789012:subnet/subnet-1"]}},
    },
    {
        "Sid": "VpcSubnetsAndSecurityGroups",
        "Effect": "Allow",
        "Action": "ec2:CreateNetworkInterface",
        "Resource": ["arn:aws:ec2:us-east-1:123456789012:subnet/subnet-1"],
    },
]


def test_a_plan_with_every_condition_passes() -> None:
    assert check_plan(_plan([TRUST], GOOD)) == []


@pytest.mark.parametrize(
    ("trust", "edit", "expected"),
    [
        ({**TRUST, "Condition": {}}, None, "without aws:SourceAccount and aws:SourceArn"),
        (
            {**TRUST, "Condition": {"StringEquals": {"aws:SourceAccount": "1"}}},
            None,
            "without aws:SourceArn",
        ),
        (TRUST, ("KmsUse", "Condition", {}), "KMS actions without a kms:ViaService condition"),
        (TRUST, ("VpcNetworkInterfaces", "Condition", {}), "without an ec2:Subnet/ec2:Vpc condition"),
        (
            TRUST,
            ("S3WriteOutputs", "Resource", [f"{ARN}/async/b-dev/*"]),
            f"s3:PutObject on {ARN}/async/b-dev/* covers {ARN}/async/b-dev/input/*",
        ),
        (
            TRUST,
            ("KmsUse", "Action", ["secretsmanager:GetSecretValue"]),
            "secretsmanager:GetSecretValue granted",
        ),
    ],
)
def test_each_missing_condition_fails(
    trust: dict[str, Any], edit: tuple[str, str, Any] | None, expected: str
) -> None:
    statements = [dict(s) for s in GOOD]
    if edit is not None:
        sid, key, value = edit
        next(s for s in statements if s["Sid"] == sid)[key] = value
    problems = check_plan(_plan([trust], statements))
    assert len(problems) == 1 and expected in problems[0].format()
    assert problems[0].format().startswith("SAGESPEC_IAM module.execution_role.")


def test_a_policy_unknown_at_plan_time_fails_closed() -> None:
    plan = _plan([TRUST], GOOD)
    plan["resource_changes"][1]["change"]["after"] = {"policy": None}
    [problem] = check_plan(plan)
    assert "unknown at plan time" in problem.message
