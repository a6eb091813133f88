"""Install the stand-ins where Terraform finds them: a filesystem mirror and a CLI config of our own.

`terraform init` with TF_CLI_CONFIG_FILE pointing at the generated file installs
registry.terraform.io/hashicorp/aws and hashicorp/awscc from the mirror and nothing from anywhere
else; the user's ~/.terraformrc is never read or written. The mirror lives in sagespec's cache
folder, keyed by the interpreter and the schema data, and is built once (atomically: a half-built
mirror is never used).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import platform
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ...caches import cache_folder
from . import replace, schema

PROVIDERS = ("aws", "awscc")
# The releases whose schemas the stand-ins serve (the cdktn packages they were extracted from).
DEFAULT_VERSIONS = {"aws": "6.69.1", "awscc": "1.106.0"}


@dataclass(frozen=True)
class Installation:
    root: Path
    cli_config: Path
    versions: dict[str, str]

    def environment(self) -> dict[str, str]:
        """What a Terraform process needs to find the stand-ins and nothing else."""
        return {
            "TF_CLI_CONFIG_FILE": str(self.cli_config),
            "CHECKPOINT_DISABLE": "1",
            "TF_PLUGIN_CACHE_DIR": "",
        }


def _platform() -> str:
    machine = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(
        platform.machine().lower(), platform.machine().lower()
    )
    return f"{sys.platform if sys.platform != 'linux2' else 'linux'}_{machine}"


def provider_version(name: str) -> str:
    source = json.loads(schema.schema_path(name).read_text("utf-8")).get("_source")
    if isinstance(source, dict) and isinstance(source.get("provider_version"), str):
        return str(source["provider_version"])
    return DEFAULT_VERSIONS[name]


def _fingerprint() -> str:
    digest = hashlib.sha256(sys.executable.encode())
    for name in PROVIDERS:
        digest.update(schema.schema_path(name).read_bytes())
    digest.update(replace.rules_path().read_bytes())
    return digest.hexdigest()[:16]


def _write_tls(folder: Path) -> None:
    """A self-signed certificate for the plugin's TLS listener (go-plugin AutoMTLS trusts it by value)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=True,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage(
                [x509.oid.ExtendedKeyUsageOID.SERVER_AUTH, x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(mode=0o700)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    for file, data in (
        ("key.pem", key_pem),
        ("cert.pem", cert.public_bytes(serialization.Encoding.PEM)),
        ("cert.der", cert.public_bytes(serialization.Encoding.DER)),
    ):
        fd = os.open(folder / file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)


def _build(scratch: Path, final: Path, versions: dict[str, str]) -> None:
    """Write the mirror into `scratch`; every path inside names `final`, where it is moved next."""
    _write_tls(scratch / "tls")
    for name, version in versions.items():
        folder = scratch / "mirror" / "registry.terraform.io" / "hashicorp" / name / version / _platform()
        folder.mkdir(parents=True)
        executable = folder / f"terraform-provider-{name}_v{version}"
        executable.write_text(
            "#!/bin/sh\n"
            "# sagespec's offline stand-in provider (scripts/sagespec/terraform/standin).\n"
            f"exec '{sys.executable}' -m sagespec.terraform.standin {name} '{final / 'tls'}'\n"
        )
        executable.chmod(executable.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    includes = ", ".join(json.dumps(f"registry.terraform.io/hashicorp/{n}") for n in versions)
    (scratch / "terraform.rc").write_text(
        "# Generated by sagespec: the offline stand-in providers, and no registry.\n"
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f"    path    = {json.dumps(str(final / 'mirror'))}\n"
        f"    include = [{includes}]\n"
        "  }\n"
        "}\n"
    )


def install(base: Path | None = None) -> Installation:
    """The stand-ins' mirror and CLI config, built on first use."""
    folder = base or cache_folder("standin")
    versions = {name: provider_version(name) for name in PROVIDERS}
    root = folder / _fingerprint()
    if not (root / "terraform.rc").is_file():
        folder.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".building-", dir=folder))
        try:
            _build(scratch, root, versions)
            try:
                scratch.rename(root)
            except OSError:  # another process finished first: use its mirror
                if not (root / "terraform.rc").is_file():
                    raise
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return Installation(root=root, cli_config=root / "terraform.rc", versions=versions)
