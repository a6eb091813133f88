"""aws_iam_policy_document's JSON, in and out: Go's escapes and the CRC-32 `id` of the text it
writes, and source/override documents read as JSON and merged by Sid. As in
test_standin_policy_document.py, the expected texts are written out by hand from the aws provider's
rules, not computed.
"""

from __future__ import annotations

import json
import zlib

import pytest

from sagespec.terraform.standin.policy_document import policy_document
from sagespec.terraform.standin.policy_model import PolicyDocumentError

from .policy_blocks import expect, statement


def test_go_escapes_html_characters_and_keeps_other_unicode() -> None:
    got = policy_document(
        {"statement": [statement(effect="Deny", actions=["s3:*"], resources=["arn:aws:s3:::b/<x>&é"])]}
    )
    assert got["minified_json"] == (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*",'
        '"Resource":"arn:aws:s3:::b/\\u003cx\\u003e\\u0026é"}]}'
    )


def test_the_id_is_the_crc32_of_the_json() -> None:
    got = policy_document({"statement": [statement(actions=["s3:GetObject"], resources=["*"])]})
    assert got["id"] == str(zlib.crc32(got["json"].encode()))
    assert got["json"] == expect(
        """
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Action": "s3:GetObject",
              "Resource": "*"
            }
          ]
        }
        """
    )


def test_source_and_override_documents_merge_by_sid() -> None:
    source = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "Keep",
                    "Effect": "Allow",
                    "Action": ["s3:PutObject", "s3:GetObject"],
                    "Resource": ["*"],
                },
                {"Sid": "Replace", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
                {
                    "Effect": "Deny",
                    "Action": "s3:*",
                    "Resource": "*",
                    "Principal": {"AWS": ["arn:a", "arn:c", "arn:b"]},
                    "Condition": {"Bool": {"aws:SecureTransport": False}, "StringEquals": {"k": ["v"]}},
                },
            ],
        }
    )
    override = json.dumps({"Statement": [{"Sid": "Keep", "Effect": "Deny", "Action": "s3:DeleteObject"}]})
    got = policy_document(
        {
            "source_policy_documents": [source],
            "override_policy_documents": [override],
            "statement": [statement(sid="Replace", actions=["s3:ListBucket"])],
        }
    )["json"]
    assert got == expect(
        """
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Sid": "Keep",
              "Effect": "Deny",
              "Action": "s3:DeleteObject"
            },
            {
              "Sid": "Replace",
              "Effect": "Allow",
              "Action": "s3:ListBucket"
            },
            {
              "Effect": "Deny",
              "Action": "s3:*",
              "Resource": "*",
              "Principal": {
                "AWS": [
                  "arn:c",
                  "arn:b",
                  "arn:a"
                ]
              },
              "Condition": {
                "Bool": {
                  "aws:SecureTransport": "false"
                },
                "StringEquals": {
                  "k": "v"
                }
              }
            }
          ]
        }
        """
    )


def test_a_source_documents_actions_are_kept_as_written() -> None:
    """Action and Resource are `any` in the Go type: decoded and encoded again, not sorted."""
    source = json.dumps({"Statement": [{"Effect": "Allow", "Action": ["b:x", "a:y"], "Resource": ["r"]}]})
    got = json.loads(policy_document({"source_policy_documents": [source]})["json"])
    assert got["Statement"] == [{"Effect": "Allow", "Action": ["b:x", "a:y"], "Resource": ["r"]}]
    assert got["Version"] == "2012-10-17"  # this document's default version upgrades the source's none


def test_duplicate_sids_are_errors() -> None:
    twice = json.dumps({"Statement": [{"Sid": "A", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
    with pytest.raises(PolicyDocumentError, match=r"duplicate Sid \(A\) in source_policy_documents"):
        policy_document({"source_policy_documents": [twice, twice]})
    with pytest.raises(PolicyDocumentError, match=r"duplicate Sid \(B\)"):
        policy_document(
            {"statement": [statement(sid="B", actions=["a:b"]), statement(sid="B", actions=["a:c"])]}
        )
