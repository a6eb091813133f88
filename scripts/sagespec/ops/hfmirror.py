"""Mirror a Hugging Face snapshot into the env's bucket (`weights.huggingface.mirror: true`).

Endpoints then load weights from S3 (no Hub access or token at start-up, no Hub outages). The
snapshot comes through huggingface_hub and its cache, so HF_HUB_OFFLINE=1 works from a filled
cache; files go uncompressed under `models/<m>/hf/<revision>/`. A branch revision is a moving
target: the prefix is then synchronised (changed files replaced, files gone deleted), so pin a
commit hash for reproducible deploys.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from rich.console import Console

from ..artifacts import hashcache, s3keys
from ..artifacts.contents import FileEntry
from ..errors import SagespecError
from . import s3io
from .packaging import Uploaded, missing_files
from .s3io import Bucket


def _truthy(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def snapshot(model_id: str, revision: str | None, token: str | None) -> Path:
    """Local folder of the snapshot, downloaded into (or, offline, taken from) the Hub cache."""
    from huggingface_hub import snapshot_download  # heavy import: only when mirroring
    from huggingface_hub.errors import GatedRepoError, LocalEntryNotFoundError, RepositoryNotFoundError

    try:
        folder = snapshot_download(
            repo_id=model_id,
            revision=revision,
            cache_dir=os.environ.get("HF_HUB_CACHE") or None,  # read now: the library reads it at import
            local_files_only=_truthy("HF_HUB_OFFLINE"),
            token=token,
        )
    except LocalEntryNotFoundError as exc:
        raise SagespecError(
            f"{model_id}@{revision or 'main'} is not in the Hugging Face cache (offline)",
            "unset HF_HUB_OFFLINE, or fill the cache with `hf download`",
        ) from exc
    except GatedRepoError as exc:
        raise SagespecError(
            f"{model_id} is gated: accept its licence and provide a token",
            "set HF_TOKEN, or weights.huggingface.token_secret",
        ) from exc
    except RepositoryNotFoundError as exc:
        raise SagespecError(f"{model_id}: no such Hugging Face repository (or it is private)") from exc
    return Path(str(folder))


def snapshot_manifest(folder: Path) -> list[FileEntry]:
    """Files of a snapshot; the cache links them to blobs, so links are followed (inside the cache only)."""
    cache = folder.parent.parent.resolve()  # <cache>/models--org--name/snapshots/<commit>
    entries = []
    for path in sorted(p for p in folder.rglob("*") if not p.is_dir()):
        real = path.resolve()
        if cache not in real.parents:
            raise SagespecError(f"{path}: links outside the Hugging Face cache")
        st = real.stat()
        entries.append(
            FileEntry(path.relative_to(folder).as_posix(), real, st.st_size, hashcache.hash_file(real, st))
        )
    hashcache.save()
    return entries


def hf_token(spec_hf: dict[str, Any], secrets: Any | None) -> str | None:
    """HF_TOKEN or the library's login first; else the spec's token secret (the one endpoints use)."""
    if os.environ.get("HF_TOKEN") or _truthy("HF_HUB_OFFLINE") or not spec_hf.get("token_secret"):
        return None
    if secrets is None:
        return None
    return str(secrets.get_secret_value(SecretId=spec_hf["token_secret"])["SecretString"]).strip()


def mirror(
    model: str,
    spec_hf: dict[str, Any],
    bucket: Bucket,
    s3: Any | None,
    token: str | None,
    console: Console,
    dry_run: bool,
) -> Uploaded:
    """Synchronise the snapshot to the bucket; with no S3 client (a dry run) only read the cache."""
    revision = spec_hf.get("revision")
    prefix = s3keys.hf_mirror_prefix(model, revision)
    folder = snapshot(spec_hf["model_id"], revision, token)
    manifest = snapshot_manifest(folder)
    if s3 is None:
        todo, stale = manifest, []
    else:
        todo = missing_files(s3, bucket, prefix, manifest)
        stale = sorted(set(s3io.list_sizes(s3, bucket, prefix)) - {prefix + e.arcname for e in manifest})
    if not dry_run and s3 is not None:
        with s3io.progress_bar(console) as bar:
            for entry in todo:
                s3io.upload(s3, bucket, entry.path, prefix + entry.arcname, entry.sha256, bar)
        for key in stale:
            s3.delete_object(Bucket=bucket.name, Key=key)
    for key in stale:
        console.print(f"  {'would delete' if dry_run else 'deleted'} stale s3://{bucket.name}/{key}")
    return Uploaded(
        uri=s3io.uri(bucket.name, prefix),
        digest=folder.name,
        size=sum(e.size for e in manifest),
        uploaded=len(todo),
        skipped=len(manifest) - len(todo),
        lock_changed=False,
    )
