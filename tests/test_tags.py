"""tags.py: the tag contract the renderer writes and cleanup trusts."""

from __future__ import annotations

from sagespec import tags


def test_our_tags_win_over_the_environments() -> None:
    rendered = tags.default_tags("prod", {"team": "nlp", "managed-by": "someone-else", "sagespec-env": "dev"})
    assert rendered == {"team": "nlp", "managed-by": "sagespec", "sagespec-env": "prod"}
    assert tags.marks_env(rendered, "prod") and not tags.marks_env(rendered, "dev")


def test_a_resource_without_both_marks_is_not_ours() -> None:
    assert not tags.marks_env({"managed-by": "sagespec"}, "prod")
    assert not tags.marks_env({"sagespec-env": "prod"}, "prod")
    assert not tags.marks_env({"managed-by": "terraform", "sagespec-env": "prod"}, "prod")
    assert tags.describe_marks("prod") == "managed-by=sagespec, sagespec-env=prod"


def test_spec_tags_name_the_spec_and_its_owner() -> None:
    meta = {"owner": "nlp-team", "tags": {"cost-center": 42, "sagespec-spec": "spoofed"}}
    assert tags.spec_tags(meta, "chat") == {"cost-center": "42", "owner": "nlp-team", "sagespec-spec": "chat"}
    assert tags.spec_tags({}, "chat") == {"sagespec-spec": "chat"}
