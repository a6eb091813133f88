"""aws_iam_policy_document of the stand-in against JSON derived by hand from the aws provider's
rules (internal/service/iam/policy_document_data_source.go and policy_model.go in
hashicorp/terraform-provider-aws; see sagespec/terraform/standin/policy_document.py and
policy_model.py). Escapes, the `id` and documents given as JSON: test_standin_policy_json.py.

The expected texts below are written out, not computed: json.MarshalIndent's layout, the struct's
field order, reverse-sorted sets, single values as strings.
"""

from __future__ import annotations

import json
import zlib

import pytest

from sagespec.terraform.standin.policy_document import policy_document
from sagespec.terraform.standin.policy_model import PolicyDocumentError
from tests.helpers import standin
from tests.helpers.standin import data_source, obj

from .policy_blocks import condition, expect, principal, rendered, statement


def test_the_execution_roles_trust_policy() -> None:
    got = rendered(
        statement(
            sid="SageMakerAssumeRole",
            effect="Allow",
            actions=["sts:AssumeRole"],
            principals=[principal("Service", "sagemaker.amazonaws.com")],
            condition=[
                condition("StringEquals", "aws:SourceAccount", "111122223333"),
                condition("ArnLike", "aws:SourceArn", "arn:aws:sagemaker:us-east-1:111122223333:*"),
            ],
        )
    )
    assert got == expect(
        """
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Sid": "SageMakerAssumeRole",
              "Effect": "Allow",
              "Action": "sts:AssumeRole",
              "Principal": {
                "Service": "sagemaker.amazonaws.com"
              },
              "Condition": {
                "ArnLike": {
                  "aws:SourceArn": "arn:aws:sagemaker:us-east-1:111122223333:*"
                },
                "StringEquals": {
                  "aws:SourceAccount": "111122223333"
                }
              }
            }
          ]
        }
        """
    )


def test_sets_are_sorted_in_reverse_and_lists_of_one_are_strings() -> None:
    got = rendered(
        statement(
            actions=["s3:GetObject", "kms:Decrypt", "s3:ListBucket"],
            resources=["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"],
            not_actions=["iam:PassRole"],
        )
    )
    assert got == expect(
        """
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Action": [
                "s3:ListBucket",
                "s3:GetObject",
                "kms:Decrypt"
              ],
              "NotAction": "iam:PassRole",
              "Resource": [
                "arn:aws:s3:::b/*",
                "arn:aws:s3:::a/*"
              ]
            }
          ]
        }
        """
    )


def test_principals() -> None:
    lone_wildcard = json.loads(rendered(statement(actions=["s3:*"], principals=[principal("*", "*")])))
    assert lone_wildcard["Statement"][0]["Principal"] == "*"
    # {"AWS": "*"} is not the same to IAM for roles: only {"*": "*"} becomes "*".
    aws_wildcard = json.loads(rendered(statement(actions=["s3:*"], principals=[principal("AWS", "*")])))
    assert aws_wildcard["Statement"][0]["Principal"] == {"AWS": "*"}
    several = rendered(
        statement(
            actions=["s3:*"],
            principals=[principal("Service", "b.amazonaws.com", "a.amazonaws.com"), principal("*", "*")],
            not_principals=[principal("AWS", "arn:aws:iam::111122223333:root")],
        )
    )
    assert several == expect(
        """
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Action": "s3:*",
              "Principal": {
                "*": "*",
                "Service": [
                  "b.amazonaws.com",
                  "a.amazonaws.com"
                ]
              },
              "NotPrincipal": {
                "AWS": "arn:aws:iam::111122223333:root"
              }
            }
          ]
        }
        """
    )


def _sdk_order(serialized: dict[str, str]) -> list[str]:
    """Keys of `serialized` in terraform-plugin-sdk's Set.List() order: by the decimal CRC-32 of each
    element's SerializeResourceForHash text, compared as strings."""
    return sorted(serialized, key=lambda k: str(zlib.crc32(serialized[k].encode())))


def test_repeated_principal_types_concatenate_in_the_sdks_set_order() -> None:
    # SerializeResourceForHash of a principals block: `identifiers:{<id>;...};type:<type>;`
    # (keys sorted). Hash codes compare as strings: "4274616290" (y) before "593473127" (x). Given
    # in the other order, so only the SDK's order can pass.
    assert zlib.crc32(b"identifiers:{arn:x;};type:AWS;") == 593473127
    assert zlib.crc32(b"identifiers:{arn:y;};type:AWS;") == 4274616290
    got = json.loads(
        rendered(
            statement(actions=["s3:*"], principals=[principal("AWS", "arn:x"), principal("AWS", "arn:y")])
        )
    )
    assert got["Statement"][0]["Principal"] == {"AWS": ["arn:y", "arn:x"]}
    # "2764743823" (q) sorts before "857242498" (a, b). A string then a list: the string, then the
    # list in reverse order.
    assert zlib.crc32(b"identifiers:{arn:q;};type:AWS;") == 2764743823
    assert [zlib.crc32(b"arn:a;"), zlib.crc32(b"arn:b;")] == sorted(
        [zlib.crc32(b"arn:a;"), zlib.crc32(b"arn:b;")]
    )
    assert zlib.crc32(b"identifiers:{arn:a;arn:b;};type:AWS;") == 857242498
    both = json.loads(
        rendered(
            statement(
                actions=["s3:*"], principals=[principal("AWS", "arn:a", "arn:b"), principal("AWS", "arn:q")]
            )
        )
    )
    assert both["Statement"][0]["Principal"] == {"AWS": ["arn:q", "arn:b", "arn:a"]}


def test_repeated_conditions_append_their_values() -> None:
    # SerializeResourceForHash of a condition block: `test:<t>;values:(<v>;...);variable:<v>;`;
    # "1166637540" (one) before "1792035763" (two), given in the other order.
    assert _sdk_order(
        {
            "one": "test:StringLike;values:(models/b;models/a;);variable:s3:prefix;",
            "two": "test:StringLike;values:(models/c;);variable:s3:prefix;",
        }
    ) == ["one", "two"]
    got = json.loads(
        rendered(
            statement(
                actions=["s3:ListBucket"],
                condition=[
                    condition("StringLike", "s3:prefix", "models/c"),
                    condition("StringLike", "s3:prefix", "models/b", "models/a"),
                ],
            )
        )
    )
    # Set order between the blocks; a block's own values keep their order (values is a list).
    assert got["Statement"][0]["Condition"] == {
        "StringLike": {"s3:prefix": ["models/b", "models/a", "models/c"]}
    }


def test_empty_parts_are_left_out() -> None:
    assert rendered() == expect(
        """
        {
          "Version": "2012-10-17"
        }
        """
    )
    got = policy_document(
        {"policy_id": "p1", "version": "2008-10-17", "statement": [statement(actions=["a:b"])]}
    )
    assert got["json"] == expect(
        """
        {
          "Version": "2008-10-17",
          "Id": "p1",
          "Statement": [
            {
              "Effect": "Allow",
              "Action": "a:b"
            }
          ]
        }
        """
    )
    assert (
        got["minified_json"]
        == '{"Version":"2008-10-17","Id":"p1","Statement":[{"Effect":"Allow","Action":"a:b"}]}'
    )


def test_ampersand_braces_become_policy_variables() -> None:
    """`&{aws:username}` is how HCL writes the IAM variable `${aws:username}`."""
    got = json.loads(
        rendered(
            statement(
                actions=["s3:&{x}"],
                resources=["arn:aws:s3:::b/&{aws:username}/*"],
                condition=[condition("StringLike", "s3:prefix", "&{aws:username}/")],
            )
        )
    )
    assert got["Statement"][0]["Action"] == "s3:&{x}"  # actions are not rewritten
    assert got["Statement"][0]["Resource"] == "arn:aws:s3:::b/${aws:username}/*"
    assert got["Statement"][0]["Condition"] == {"StringLike": {"s3:prefix": "${aws:username}/"}}
    with pytest.raises(PolicyDocumentError, match="not supported in document version 2008-10-17"):
        policy_document({"version": "2008-10-17", "statement": [statement(resources=["&{aws:username}"])]})


def test_read_data_source_returns_the_rendered_policy() -> None:
    """Through ReadDataSource, as Terraform asks for it."""
    block = data_source("aws", "aws_iam_policy_document")
    inner = block.blocks["statement"].block
    config = obj(block, statement=[obj(inner, actions=["s3:GetObject"], resources=["*"])])
    state = standin.read_data(standin.provider("aws", region="us-east-1"), "aws_iam_policy_document", config)
    expected = policy_document({"statement": [statement(actions=["s3:GetObject"], resources=["*"])]})
    assert (state["json"], state["minified_json"], state["id"]) == (
        expected["json"],
        expected["minified_json"],
        expected["id"],
    )
