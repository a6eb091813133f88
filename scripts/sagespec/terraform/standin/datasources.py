"""ReadDataSource for the data sources the modules read, answered as the real ones would.

aws_iam_policy_document renders the policy JSON byte for byte as the aws provider does (see
policy_document.py), so plans show the real policy text. Caller
identity, partition and region come from the provider configuration; a secret version is derived
from its ARN, so a plan is stable and a different ARN reads as a rotated secret. Anything else:
computed attributes filled like an applied resource.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from .applying import DEFAULT_ACCOUNT, FIXED_TIME, fill, partition_of
from .planning import ProviderConfig, from_config
from .policy_document import policy_document
from .schema import Block

_DNS_SUFFIX = {"aws": "amazonaws.com", "aws-cn": "amazonaws.com.cn", "aws-us-gov": "amazonaws.com"}


def _secret_version(config: dict[str, Any], provider: ProviderConfig) -> dict[str, Any]:
    secret_id = str(config.get("secret_id"))
    stage = config.get("version_stage") or "AWSCURRENT"
    version_id = config.get("version_id") or str(uuid.uuid5(uuid.NAMESPACE_URL, f"{secret_id}#{stage}"))
    arn = (
        secret_id
        if secret_id.startswith("arn:")
        else (
            f"arn:{partition_of(provider.region)}:secretsmanager:{provider.region}:"
            f"{provider.account_id or DEFAULT_ACCOUNT}:secret:{secret_id}"
        )
    )
    return {
        "arn": arn,
        "id": f"{secret_id}|{version_id}",
        "version_id": version_id,
        "version_stage": stage,
        "version_stages": [stage],
        # Never a real secret: a stand-in value that names itself and changes with the ARN.
        "secret_string": f"sagespec-offline-secret-{hashlib.sha256(arn.encode()).hexdigest()[:12]}",
        "secret_binary": "",
        "created_date": FIXED_TIME,
    }


def _computed(type_name: str, config: dict[str, Any], provider: ProviderConfig) -> dict[str, Any]:
    region = provider.region or "us-east-1"
    partition = partition_of(region)
    account = provider.account_id or DEFAULT_ACCOUNT
    dns = _DNS_SUFFIX[partition]
    if type_name == "aws_iam_policy_document":
        return policy_document(config)
    if type_name == "aws_partition":
        return {
            "partition": partition,
            "dns_suffix": dns,
            "reverse_dns_prefix": ".".join(reversed(dns.split("."))),
            "id": partition,
        }
    if type_name == "aws_caller_identity":
        return {
            "account_id": account,
            "arn": f"arn:{partition}:sts::{account}:assumed-role/sagespec-offline/standin",
            "user_id": "AROASAGESPECOFFLINE:standin",
            "id": account,
        }
    if type_name == "aws_region":
        name = config.get("region") or config.get("name") or region
        return {
            "name": name,
            "region": name,
            "id": name,
            "endpoint": f"ec2.{name}.{dns}",
            "description": name,
        }
    if type_name == "aws_secretsmanager_secret_version":
        return _secret_version(config, provider)
    return {}


def read(type_name: str, block: Block, config: dict[str, Any], provider: ProviderConfig) -> Any:
    state = from_config(block, config)
    computed = _computed(type_name, config, provider)
    state.update({k: v for k, v in computed.items() if k in block.attributes and config.get(k) is None})
    return fill(block, state, seed=f"{type_name}/{json.dumps(config, sort_keys=True, default=str)}")
