"""The execution role's grants: exactly what one environment's models and endpoints touch.

The renderer adds a grant as it renders each model and endpoint, so `render()` must run last.
"""

from __future__ import annotations

from ..artifacts import s3keys
from ..catalog import reader as catalogs
from ..spec import names
from .types import ExecutionRole, S3ListPrefix


class RoleGrants:
    """S3, ECR, Secrets Manager, SNS and KMS resources of one environment, as rendered ARNs."""

    def __init__(self, env: str, region: str) -> None:
        self.env, self.part = env, catalogs.partition(region)
        self.read: set[str] = set()
        self.list: dict[tuple[str, str], None] = {}
        self.write: set[str] = set()
        self.ecr: set[str] = set()
        self.secrets: set[str] = set()
        self.sns: set[str] = set()

    def s3_arn(self, bucket: str, key: str = "") -> str:
        return f"arn:{self.part}:s3:::{bucket}" + (f"/{key}" if key else "")

    def read_artifact(self, uri: str, compressed: bool) -> None:
        """One model.tar.gz object, or every object under an uncompressed prefix (and listing it)."""
        bucket, key = s3keys.split_s3_uri(uri)
        if compressed:
            self.read.add(self.s3_arn(bucket, key))
        else:
            prefix = key if key.endswith("/") else key + "/"
            self.read.add(self.s3_arn(bucket, prefix + "*"))
            self.list[(self.s3_arn(bucket), prefix)] = None

    def read_prefix(self, uri: str) -> None:
        bucket, key = s3keys.split_s3_uri(uri)
        self.read.add(self.s3_arn(bucket, key + "*"))

    def write_prefix(self, uri: str) -> None:
        bucket, key = s3keys.split_s3_uri(uri)
        self.write.add(self.s3_arn(bucket, key + "*"))

    def pull_image(self, uri: str) -> None:
        """A private ECR image: pull from its repository (anything else needs no grant)."""
        arn = ecr_repository_arn(uri)
        if arn:
            self.ecr.add(arn)

    def render(self, kms_key_arn: str | None, vpc_access: bool) -> ExecutionRole:
        return ExecutionRole(
            name=names.execution_role_name(self.env),
            s3_read_object_arns=sorted(self.read),
            s3_list_prefixes=[S3ListPrefix(bucket_arn=b, prefix=p) for b, p in sorted(self.list)],
            s3_write_prefix_arns=sorted(self.write),
            ecr_repository_arns=sorted(self.ecr),
            secret_arns=sorted(self.secrets),
            sns_topic_arns=sorted(self.sns),
            kms_key_arns=[kms_key_arn] if kms_key_arn else [],
            vpc_access=vpc_access,
        )


def ecr_repository_arn(uri: str) -> str | None:
    """<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repo>[:tag|@digest] -> repository ARN."""
    host, _, path = uri.partition("/")
    parts = host.split(".")
    if len(parts) < 6 or parts[1:3] != ["dkr", "ecr"] or not path:
        return None
    account, region = parts[0], parts[3]
    repository = path.split("@")[0]
    if ":" in repository.rsplit("/", 1)[-1]:
        repository = repository.rsplit(":", 1)[0]
    return f"arn:{catalogs.partition(region)}:ecr:{region}:{account}:repository/{repository}"
