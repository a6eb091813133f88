"""The spec-level diff: matching by kind and name, moves, redaction."""

from __future__ import annotations

from pathlib import Path

from sagespec.review.sides import Side
from sagespec.review.spec_diff import REDACTED, diff_specs
from sagespec.spec.project import load_project


def _side(root: Path) -> Side:
    return Side("x", load_project(root))


def test_moved_file_is_a_change_not_a_removal(repo_copy: Path, tmp_path: Path) -> None:
    import shutil

    base = tmp_path / "base"
    shutil.copytree(repo_copy, base)
    (repo_copy / "specs" / "models" / "llm").mkdir()
    (repo_copy / "specs" / "models" / "gpt-neo-125m.yaml").rename(
        repo_copy / "specs" / "models" / "llm" / "gpt-neo-125m.yaml"
    )
    changes = diff_specs(_side(base), _side(repo_copy))
    assert len(changes) == 1
    assert changes[0].status == "changed" and changes[0].base_file == "specs/models/gpt-neo-125m.yaml"
    assert changes[0].file == "specs/models/llm/gpt-neo-125m.yaml" and changes[0].fields == ()


def test_literal_secrets_and_secret_references_are_redacted(repo_copy: Path, tmp_path: Path) -> None:
    import shutil

    base = tmp_path / "base"
    shutil.copytree(repo_copy, base)
    path = repo_copy / "specs" / "models" / "gpt-neo-125m.yaml"
    token = "hf_" + "a" * 34
    text = path.read_text(encoding="utf-8").replace(
        "environment: {HF_MODEL_ID: EleutherAI/gpt-neo-125m}",
        f'environment: {{HF_MODEL_ID: EleutherAI/gpt-neo-125m, DB_PASSWORD: hunter2, NOTE: "{token}"}}\n'
        '  secret_environment: {API_KEY: "arn:aws:secretsmanager:us-east-1:1:secret:k"}',
    )
    path.write_text(text, encoding="utf-8")
    (change,) = diff_specs(_side(base), _side(repo_copy))
    fields = {f.path: f.after for f in change.fields}
    assert fields["spec.environment.DB_PASSWORD"] == REDACTED
    assert fields["spec.environment.NOTE"] == REDACTED
    assert fields["spec.secret_environment.API_KEY"] == REDACTED
    assert "hunter2" not in repr(change) and token not in repr(change) and "secret:k" not in repr(change)


def test_changed_secret_reference_is_reported_without_its_value(repo_copy: Path, tmp_path: Path) -> None:
    import shutil

    base = tmp_path / "base"
    shutil.copytree(repo_copy, base)
    path = repo_copy / "specs" / "models" / "mistral-7b-instruct.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "333333333333:secret:hf-token-AbCdEf", "333333333333:secret:x"
        ),
        encoding="utf-8",
    )
    (change,) = diff_specs(_side(base), _side(repo_copy))
    (field,) = change.fields
    assert field.path == "environments.prod.weights.huggingface.token_secret"  # each env has its own
    assert field.before == REDACTED and field.after == REDACTED and field.change == "changed"
