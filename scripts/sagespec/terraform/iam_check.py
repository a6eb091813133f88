"""Our own IAM check on a Terraform plan: the execution role's conditions checkov does not ask for.

`sagespec plan` runs it on `terraform show -json` of the saved plan, next to checkov; a problem
fails the plan like a failed checkov check (apply refuses it). Rules, each a case of issue 9:

- a trust policy letting sagemaker.amazonaws.com assume a role names aws:SourceAccount and
  aws:SourceArn (confused deputy prevention);
- every statement with a KMS action has a kms:ViaService condition;
- every statement with an EC2 network-interface action on a wildcard resource is scoped by a
  condition (ec2:Subnet, ec2:Vpc, or a tag condition);
- no secretsmanager:GetSecretValue (Terraform injects secret values itself);
- no s3:PutObject grant covers a prefix the role reads requests from (async input/).
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

CODE = "SAGESPEC_IAM"
ROLE_TYPES = {"aws_iam_role": "assume_role_policy"}
POLICY_TYPES = {"aws_iam_role_policy": "policy", "aws_iam_policy": "policy"}
ENI_ACTIONS = {
    "ec2:createnetworkinterface",
    "ec2:createnetworkinterfacepermission",
    "ec2:deletenetworkinterface",
    "ec2:deletenetworkinterfacepermission",
}
ENI_SCOPES = ("ec2:subnet", "ec2:vpc", "aws:resourcetag/", "aws:requesttag/", "ec2:resourcetag/")


@dataclass(frozen=True)
class Problem:
    address: str
    statement: str
    message: str

    def format(self) -> str:
        return f"{CODE} {self.address} ({self.statement}): {self.message}"


def check_plan(plan_json: Mapping[str, Any]) -> list[Problem]:
    """Problems in the planned IAM documents of `terraform show -json` output. Documents still
    unknown at plan time cannot be judged and are reported as such (fail closed)."""
    problems: list[Problem] = []
    for address, rtype, values in _planned_resources(plan_json):
        attribute = ROLE_TYPES.get(rtype) or POLICY_TYPES.get(rtype)
        if attribute is None:
            continue
        document = values.get(attribute)
        if not isinstance(document, str):
            problems.append(Problem(address, attribute, "policy unknown at plan time: cannot be checked"))
            continue
        try:
            statements = _statements(json.loads(document))
        except ValueError:
            problems.append(Problem(address, attribute, "policy is not valid JSON"))
            continue
        kind = "trust" if rtype in ROLE_TYPES else "permissions"
        problems += [Problem(address, sid, message) for sid, message in check_statements(kind, statements)]
    return problems


def check_statements(kind: str, statements: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(statement id, problem) for IAM JSON statements of a trust ("trust") or permissions policy."""
    check = _trust_problems if kind == "trust" else _permission_problems
    return list(check(statements))


def _planned_resources(plan_json: Mapping[str, Any]) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    for change in plan_json.get("resource_changes") or ():
        actions = (change.get("change") or {}).get("actions") or ()
        after = (change.get("change") or {}).get("after")
        if "delete" in actions and after is None:
            continue
        if isinstance(after, dict):
            yield str(change.get("address", "?")), str(change.get("type", "")), after


def _statements(document: Any) -> list[dict[str, Any]]:
    raw = document.get("Statement", []) if isinstance(document, dict) else []
    return [s for s in ([raw] if isinstance(raw, dict) else raw) if isinstance(s, dict)]


def _listed(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else ([str(value)] if value is not None else [])


def _condition_keys(statement: Mapping[str, Any]) -> set[str]:
    conditions = statement.get("Condition") or {}
    return {key.lower() for block in conditions.values() if isinstance(block, dict) for key in block}


def _allows(statement: Mapping[str, Any]) -> bool:
    return bool(statement.get("Effect", "Allow") == "Allow")


def _trust_problems(statements: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    for index, statement in enumerate(statements):
        principal = statement.get("Principal") or {}
        services = _listed(principal.get("Service")) if isinstance(principal, dict) else []
        if not _allows(statement) or "sagemaker.amazonaws.com" not in services:
            continue
        missing = [
            k for k in ("aws:SourceAccount", "aws:SourceArn") if k.lower() not in _condition_keys(statement)
        ]
        if missing:
            yield _sid(statement, index), f"trust of sagemaker.amazonaws.com without {' and '.join(missing)}"


def _permission_problems(statements: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    reads = [r for s in statements if _allows(s) for r in _resources(s) if "s3:getobject" in _actions(s)]
    for index, statement in enumerate(statements):
        if not _allows(statement):
            continue
        sid, actions, keys = _sid(statement, index), _actions(statement), _condition_keys(statement)
        if any(a.startswith("kms:") for a in actions) and "kms:viaservice" not in keys:
            yield sid, "KMS actions without a kms:ViaService condition"
        wildcard = any("*" in r for r in _resources(statement))
        if actions & ENI_ACTIONS and wildcard and not any(k.startswith(ENI_SCOPES) for k in keys):
            yield (
                sid,
                "network-interface actions on a wildcard resource without an ec2:Subnet/ec2:Vpc condition",
            )
        if "secretsmanager:getsecretvalue" in actions or "secretsmanager:*" in actions:
            yield sid, "secretsmanager:GetSecretValue granted, though Terraform injects secret values"
        if "s3:putobject" in actions:
            for written in _resources(statement):
                covered = [r for r in reads if fnmatch.fnmatchcase(r.replace("*", "request"), written)]
                if covered:
                    yield (
                        sid,
                        f"s3:PutObject on {written} covers {covered[0]}, which the role reads requests from",
                    )


def _actions(statement: Mapping[str, Any]) -> set[str]:
    return {a.lower() for a in _listed(statement.get("Action"))}


def _resources(statement: Mapping[str, Any]) -> list[str]:
    return _listed(statement.get("Resource"))


def _sid(statement: Mapping[str, Any], index: int) -> str:
    return str(statement.get("Sid") or f"statement {index}")
