"""Where artifacts live in S3: content-addressed keys in the env's bucket, and S3 URIs."""

from __future__ import annotations

from ..errors import SagespecError


def split_s3_uri(uri: str) -> tuple[str, str]:
    """s3://bucket/some/key -> ("bucket", "some/key")."""
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


def artifact_key(model: str, digest: str, compressed: bool) -> str:
    """S3 key of a packaged artifact in the env's bucket: a tarball, or a prefix ending in '/'."""
    return f"models/{model}/{digest}/model.tar.gz" if compressed else f"models/{model}/{digest}/"


def hf_mirror_prefix(model: str, revision: str | None) -> str:
    """S3 prefix of a mirrored Hugging Face snapshot: `models/<m>/hf/<revision>/` (uncompressed)."""
    rev = revision or "main"
    if any(part in ("", ".", "..") for part in rev.split("/")):
        raise SagespecError(
            f"Hugging Face revision {rev!r} cannot be used in an S3 key", "use a branch, tag or commit hash"
        )
    return f"models/{model}/hf/{rev}/"
