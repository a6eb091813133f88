"""Server-side copies of content-addressed artifacts between environment buckets, verified by S3.

Every copy asks S3 for a SHA-256 checksum of what it wrote (ChecksumAlgorithm=SHA256) and
compares it with the artifact's own sha256 (the lock's digest for a tarball, the `sha256` user
metadata of each file of an uncompressed prefix): S3 computed it over the copied bytes, so the
bytes are the ones that were locked. A multipart source (above 5 GiB CopyObject cannot copy) is
copied part by part on the source's own part boundaries, so the destination's composite
checksum must equal the source's. Objects already at the destination key with the same
checksum are left alone: promoting twice copies nothing.

S3 API: https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html (ChecksumAlgorithm,
5 GiB limit), API_UploadPartCopy.html, API_HeadObject.html (ChecksumMode, PartNumber).
"""

from __future__ import annotations

import base64
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from ..artifacts import contents
from ..aws import error_code
from ..errors import SagespecError
from .s3io import Bucket, uri

GiB = 1024**3
MAX_COPY_OBJECT_BYTES = 5 * GiB  # CopyObject's limit; bigger objects go through UploadPartCopy
PART_COPY_THREADS = 8


@dataclass(frozen=True)
class Side:
    """One end of a copy: a bucket and the client that talks to its region."""

    env: str
    bucket: Bucket
    s3: Any


@dataclass(frozen=True)
class Copied:
    key: str
    copied: bool  # False: already there with the same checksum
    checksum: str  # the SHA-256 checksum S3 reports for the destination object


def full_checksum(sha256_hex: str) -> str:
    """S3's ChecksumSHA256 of a single-part object: base64 of the raw digest."""
    return base64.b64encode(bytes.fromhex(sha256_hex)).decode("ascii")


def head(side: Side, key: str, part: int | None = None) -> dict[str, Any] | None:
    """HeadObject with the stored checksum; None when there is no such object."""
    kwargs: dict[str, Any] = {"Bucket": side.bucket.name, "Key": key, "ChecksumMode": "ENABLED"}
    if side.bucket.owner:
        kwargs["ExpectedBucketOwner"] = side.bucket.owner
    if part is not None:
        kwargs["PartNumber"] = part
    try:
        response: dict[str, Any] = side.s3.head_object(**kwargs)
    except ClientError as exc:
        if error_code(exc) in ("404", "NoSuchKey", "NotFound"):
            return None
        if error_code(exc) == "NoSuchBucket":
            raise _no_bucket(side) from exc
        raise
    return response


def _no_bucket(side: Side) -> SagespecError:
    return SagespecError(
        f"artifact bucket {side.bucket.name!r} of {side.env} does not exist",
        f"apply {side.env} first (`make apply ENV={side.env}` creates it)",
    )


def _multipart(meta: dict[str, Any]) -> bool:
    return "-" in str(meta.get("ETag", "")).strip('"')  # a multipart ETag ends in -<parts>


def _sha256_of(source: Side, key: str, meta: dict[str, Any]) -> str:
    sha = str(meta.get("Metadata", {}).get("sha256", ""))
    if len(sha) != 64:
        raise SagespecError(
            f"{uri(source.bucket.name, key)} has no sha256 metadata: it was not uploaded by sagespec package",
            f"upload it again with `make package MODEL=<model> ENV={source.env}`",
        )
    checksum = meta.get("ChecksumSHA256")
    if checksum and not _multipart(meta) and checksum != full_checksum(sha):
        raise SagespecError(
            f"{uri(source.bucket.name, key)}: S3's checksum does not match its recorded sha256",
            f"the object is damaged or was overwritten: package it again in {source.env}",
        )
    return sha


def _verified(reported: str | None, sha: str, meta: dict[str, Any]) -> bool:
    if not reported:
        return False
    if reported == full_checksum(sha):
        return True
    # A part-by-part copy keeps the source's composite checksum (same parts, same digests).
    return _multipart(meta) and reported == meta.get("ChecksumSHA256")


def _copy_args(source: Side, dest: Side, key: str) -> dict[str, Any]:
    args: dict[str, Any] = {
        "Bucket": dest.bucket.name,
        "Key": key,
        "CopySource": {"Bucket": source.bucket.name, "Key": key},
        "ChecksumAlgorithm": "SHA256",
    }
    if dest.bucket.owner:
        args["ExpectedBucketOwner"] = dest.bucket.owner
    if source.bucket.owner:
        args["ExpectedSourceBucketOwner"] = source.bucket.owner
    if dest.bucket.kms_key_arn:  # each env encrypts with its own key
        args.update(ServerSideEncryption="aws:kms", SSEKMSKeyId=dest.bucket.kms_key_arn)
    return args


def _copy_object(source: Side, dest: Side, key: str) -> str | None:
    response = dest.s3.copy_object(MetadataDirective="COPY", **_copy_args(source, dest, key))
    checksum = response.get("CopyObjectResult", {}).get("ChecksumSHA256")
    return str(checksum) if checksum else None


def _part_ranges(source: Side, key: str, meta: dict[str, Any]) -> list[tuple[int, int]]:
    """(first byte, last byte) of each part of the multipart source object."""
    first = head(source, key, part=1) or {}
    count = int(first.get("PartsCount") or 1)
    sizes = [int(first.get("ContentLength", meta["ContentLength"]))]
    sizes += [int((head(source, key, part=n) or {})["ContentLength"]) for n in range(2, count + 1)]
    ranges, start = [], 0
    for size in sizes:
        ranges.append((start, start + size - 1))
        start += size
    return ranges


def _copy_parts(source: Side, dest: Side, key: str, meta: dict[str, Any]) -> str | None:
    if not meta.get("ChecksumSHA256"):
        raise SagespecError(
            f"{uri(source.bucket.name, key)} is over 5 GiB and has no S3 checksum to compare a copy with",
            f"upload it again with `make package ENV={source.env}` (uploads now carry SHA-256 checksums)",
        )
    args = _copy_args(source, dest, key)
    create = {k: v for k, v in args.items() if k not in ("CopySource", "ExpectedSourceBucketOwner")}
    create.update(
        Metadata=meta.get("Metadata", {}), ContentType=meta.get("ContentType", "binary/octet-stream")
    )
    upload_id = dest.s3.create_multipart_upload(**create)["UploadId"]
    wanted = ("Bucket", "Key", "CopySource", "ExpectedBucketOwner", "ExpectedSourceBucketOwner")
    common: dict[str, Any] = {k: args[k] for k in wanted if k in args}

    def copy_part(item: tuple[int, tuple[int, int]]) -> dict[str, Any]:
        number, (start, end) = item
        result = dest.s3.upload_part_copy(
            UploadId=upload_id, PartNumber=number, CopySourceRange=f"bytes={start}-{end}", **common
        )["CopyPartResult"]
        part = {"PartNumber": number, "ETag": result["ETag"]}
        if result.get("ChecksumSHA256"):
            part["ChecksumSHA256"] = result["ChecksumSHA256"]
        return part

    try:
        with ThreadPoolExecutor(PART_COPY_THREADS) as pool:
            parts = list(pool.map(copy_part, enumerate(_part_ranges(source, key, meta), 1)))
        dest.s3.complete_multipart_upload(
            Bucket=args["Bucket"], Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts}
        )
    except BaseException:
        dest.s3.abort_multipart_upload(Bucket=args["Bucket"], Key=key, UploadId=upload_id)
        raise
    return (head(dest, key) or {}).get("ChecksumSHA256")


def copy_object(source: Side, dest: Side, key: str, dry_run: bool = False) -> Copied:
    """Copy one object of the artifact (if not already there) and verify what S3 reports."""
    meta = head(source, key)
    if meta is None:
        raise SagespecError(
            f"{uri(source.bucket.name, key)} is not in {source.env}'s bucket",
            f"package it there first: `make package MODEL=<model> ENV={source.env}`",
        )
    sha = _sha256_of(source, key, meta)
    there = head(dest, key)
    if (
        there is not None
        and there.get("Metadata", {}).get("sha256") == sha
        and _verified(there.get("ChecksumSHA256"), sha, meta)
    ):
        return Copied(key, False, str(there["ChecksumSHA256"]))
    if dry_run:
        return Copied(key, True, "")
    big = int(meta["ContentLength"]) > MAX_COPY_OBJECT_BYTES
    try:
        reported = _copy_parts(source, dest, key, meta) if big else _copy_object(source, dest, key)
    except ClientError as exc:
        if error_code(exc) == "NoSuchBucket":
            raise _no_bucket(dest) from exc
        raise
    if not _verified(reported, sha, meta):
        dest.s3.delete_object(Bucket=dest.bucket.name, Key=key)  # never leave wrong bytes at a content key
        raise SagespecError(
            f"copy to {uri(dest.bucket.name, key)} failed verification: S3 reports checksum "
            f"{reported or 'none'}, the artifact's sha256 is {sha}",
            "the object was removed again; retry the promote, and check the source object",
        )
    return Copied(key, True, str(reported))


def prefix_keys(source: Side, prefix: str, digest: str) -> list[str]:
    """Every key of an uncompressed artifact in the source, checked against the lock's manifest digest."""
    rows: list[tuple[str, int, str]] = []
    keys: list[str] = []
    try:
        for page in source.s3.get_paginator("list_objects_v2").paginate(
            Bucket=source.bucket.name, Prefix=prefix
        ):
            for item in page.get("Contents", []):
                meta = head(source, item["Key"]) or {}
                rows.append(
                    (item["Key"][len(prefix) :], int(item["Size"]), _sha256_of(source, item["Key"], meta))
                )
                keys.append(item["Key"])
    except ClientError as exc:
        if error_code(exc) == "NoSuchBucket":
            raise _no_bucket(source) from exc
        raise
    if not keys or contents.manifest_digest_of(rows) != digest:
        state = "is empty" if not keys else "does not hold the files the lock names"
        raise SagespecError(
            f"{uri(source.bucket.name, prefix)} {state} (manifest digest {digest[:12]})",
            f"package it there first: `make package MODEL=<model> ENV={source.env}`",
        )
    return keys
