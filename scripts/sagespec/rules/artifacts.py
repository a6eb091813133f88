"""Local artifacts: the lock file must know every model that packages local files, and be current."""

from __future__ import annotations

from pathlib import Path

from ..artifacts import contents, lockfile, s3keys
from ..spec import confine as paths
from ..spec.facts import artifact_compressed, local_inputs, needs_artifact
from ..spec.project import Resolved
from .context import EnvContext


class DigestCache:
    """Input digests hash every file; compute each folder once per run, whatever the env count."""

    def __init__(self) -> None:
        self._digests: dict[Path, str] = {}

    def digest(self, folder: Path) -> str:
        if folder not in self._digests:
            self._digests[folder] = contents.input_digest(folder)
        return self._digests[folder]


def check_model(
    ctx: EnvContext, model: Resolved, lock: dict[str, lockfile.LockEntry], cache: DigestCache
) -> None:
    check_references(ctx, model)
    if not needs_artifact(model.spec) or not check_paths(ctx, model):
        return
    weights, code = local_inputs(ctx.root, model.spec)
    present = {
        kind: folder
        for kind, folder in (("weights", weights), ("code", code))
        if folder is not None and folder.is_dir()
    }
    wanted = [kind for kind, folder in (("weights", weights), ("code", code)) if folder is not None]
    entry = lock.get(model.name)
    field = ("spec", "weights", "local") if weights is not None else ("spec", "code")
    package = f"run `make lock MODEL={model.name}` (offline) and commit {lockfile.LOCK_FILE}"
    if any(f is not None and f.exists() and not f.is_dir() for f in (weights, code)):
        return  # a file where a folder belongs: E703 says so, a lock finding would only echo it
    if entry is None:
        if len(present) < len(wanted):
            missing = " and ".join(
                "weights.local.path" if k == "weights" else "code"
                for k, f in (("weights", weights), ("code", code))
                if f is not None and k not in present
            )
            ctx.reporter.error(
                model, field, "E701", f"no lock entry for {model.name} and no files at {missing}", package
            )
        else:
            ctx.reporter.warning(
                model, field, "W406", f"{model.name} has no entry in {lockfile.LOCK_FILE}", package
            )
        return
    compressed = artifact_compressed(model.spec)
    if entry.compressed != compressed or set(entry.inputs) != set(wanted):
        ctx.reporter.error(
            model, field, "E702", f"lock entry for {model.name} was made for other inputs", package
        )
        return
    absent = [k for k in wanted if k not in present]
    if absent:  # CI has no weights: say where the artifact comes from instead of failing
        ctx.reporter.info(
            model,
            field,
            "I701",
            f"{' and '.join(absent)} of {model.name} not here: using its lock entry "
            f"{entry.sha256[:12]} from {lockfile.LOCK_FILE}",
        )
    for kind, folder in present.items():
        if cache.digest(folder) != entry.inputs.get(kind):
            path = ("spec", "weights", "local", "path") if kind == "weights" else ("spec", "code")
            ctx.reporter.error(
                model,
                path,
                "E702",
                f"{kind} files changed since the lock",
                package,
            )


def check_paths(ctx: EnvContext, model: Resolved) -> bool:
    """weights.local.path and code resolve inside the repository; False (reported) when not."""
    ok = True
    local = model.spec["weights"].get("local")
    for field, value in (
        (("spec", "weights", "local", "path"), local.get("path") if local else None),
        (("spec", "code"), model.spec.get("code")),
    ):
        if value is not None and paths.inside(ctx.root, str(value)) is None:
            ok = False
            ctx.reporter.error(
                model,
                field,
                "E704",
                "the path leaves the repository (absolute, '..', or through a symlink)",
                "give a folder inside the repository, relative to its root (e.g. models/<name>)",
            )
    return ok


# IAM reads '*' and '?' as wildcards and '${...}' as a policy variable in a Resource: a spec must
# not be able to widen the execution role's grants through a URI or an image name.
_WILDCARDS = ("*", "?", "${")


def check_references(ctx: EnvContext, model: Resolved) -> None:
    """S3 weights and container images: no wildcards; S3 only in buckets this env may read."""
    s3 = (model.spec.get("weights") or {}).get("s3")
    image = (model.spec.get("container") or {}).get("image")  # an adapter has no container
    if image is not None and any(w in str(image) for w in _WILDCARDS):
        ctx.reporter.error(
            model,
            ("spec", "container", "image"),
            "E705",
            "the image reference holds a wildcard ('*', '?' or '${'), which would widen the ECR grant",
            "name one repository and tag, e.g. <account>.dkr.ecr.<region>.amazonaws.com/repo:tag",
        )
    if s3 is None:
        return
    uri, field = str(s3["uri"]), ("spec", "weights", "s3", "uri")
    if any(w in uri for w in _WILDCARDS):
        ctx.reporter.error(
            model,
            field,
            "E705",
            "the S3 URI holds a wildcard ('*', '?' or '${'), which would widen the S3 read grant",
            "name the exact object (model.tar.gz) or prefix",
        )
        return
    bucket, _ = s3keys.split_s3_uri(uri)
    own = str(ctx.env_spec.get("artifacts", {}).get("bucket", ""))
    if bucket != own and bucket not in ctx.policy.get("allowed_buckets", []):
        ctx.reporter.error(
            model,
            field,
            "E706",
            # no env name in the text: the same URI outside several envs' buckets is one finding
            # that lists them (rules/once.py)
            "the S3 URI is outside the environment's artifact bucket and the buckets its policy allows",
            "copy the artifact into the environment's artifact bucket (artifacts.bucket; an overlay "
            "per environment when the buckets differ), or list the bucket in policy.allowed_buckets "
            "of envs/<env>/env.yaml",
        )
