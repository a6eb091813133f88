"""S3 for artifacts: content checks and managed (multipart, parallel, retried) uploads with a progress bar.

Every object sagespec uploads carries its sha256 in the `sha256` user metadata, and asks S3 for
a SHA-256 checksum (ChecksumAlgorithm=SHA256: the SDK sends each part's digest, S3 refuses a part
that arrives different). S3's checksum of a multipart object is composite (a digest of the part
digests), so it cannot be compared with a file's hash; the metadata can, and a single-part
object's checksum is the file's sha256 itself. Promote compares both (ops/promote.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from boto3.exceptions import S3UploadFailedError
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from ..aws import error_code
from ..errors import SagespecError

MiB = 1024 * 1024
# 64 MiB parts keep a 14 GB tarball at ~220 parts, well under S3's 10,000-part limit up to 640 GB.
TRANSFER = TransferConfig(multipart_threshold=64 * MiB, multipart_chunksize=64 * MiB, max_concurrency=8)


@dataclass(frozen=True)
class Bucket:
    """The env's artifact bucket and the settings every upload to it carries."""

    name: str
    owner: str | None = None  # account id: refuse to write to a bucket someone else owns
    kms_key_arn: str | None = None

    def extra_args(self, sha256: str, content_type: str) -> dict[str, Any]:
        extra: dict[str, Any] = {
            "Metadata": {"sha256": sha256},
            "ContentType": content_type,
            "ChecksumAlgorithm": "SHA256",
        }
        if self.owner:
            extra["ExpectedBucketOwner"] = self.owner
        if self.kms_key_arn:
            extra.update(ServerSideEncryption="aws:kms", SSEKMSKeyId=self.kms_key_arn)
        return extra


def uri(bucket: str, key: str) -> str:
    return f"s3://{bucket}/{key}"


def _missing_bucket(bucket: Bucket) -> SagespecError:
    return SagespecError(
        f"artifact bucket {bucket.name!r} does not exist",
        "create it first (`make apply` creates it when artifacts.create is true)",
    )


def stored_sha256(s3: Any, bucket: Bucket, key: str) -> str | None:
    """The sha256 recorded on the object, "" when it has none, None when there is no object."""
    kwargs: dict[str, Any] = {"Bucket": bucket.name, "Key": key}
    if bucket.owner:
        kwargs["ExpectedBucketOwner"] = bucket.owner
    try:
        head = s3.head_object(**kwargs)
    except ClientError as exc:
        if error_code(exc) in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    return str(head.get("Metadata", {}).get("sha256", ""))


def list_sizes(s3: Any, bucket: Bucket, prefix: str) -> dict[str, int]:
    """Key -> size of every object under `prefix`."""
    sizes: dict[str, int] = {}
    try:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket.name, Prefix=prefix):
            sizes.update({o["Key"]: int(o["Size"]) for o in page.get("Contents", [])})
    except ClientError as exc:
        if error_code(exc) == "NoSuchBucket":
            raise _missing_bucket(bucket) from exc
        raise
    return sizes


@contextmanager
def progress_bar(console: Console) -> Iterator[Progress]:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    # Off when not a terminal: CI logs get the one-line summary the commands print instead.
    with Progress(*columns, console=console, disable=not console.is_terminal) as progress:
        yield progress


def upload(
    s3: Any,
    bucket: Bucket,
    path: Path,
    key: str,
    sha256: str,
    progress: Progress,
    content_type: str = "application/octet-stream",
) -> None:
    """Upload one file (multipart above 64 MiB), advancing a bar on `progress`."""
    task = progress.add_task(Path(key).name, total=path.stat().st_size)
    try:
        s3.upload_file(
            str(path),
            bucket.name,
            key,
            ExtraArgs=bucket.extra_args(sha256, content_type),
            Config=TRANSFER,
            Callback=lambda n: progress.advance(task, n),
        )
    except (ClientError, S3UploadFailedError) as exc:  # the transfer manager wraps ClientError
        if "NoSuchBucket" in str(exc):
            raise _missing_bucket(bucket) from exc
        raise
