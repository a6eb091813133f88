"""The plugin process: go-plugin handshake, tfplugin6 over gRPC, one provider per process.

Terraform starts the executable with PLUGIN_* variables, reads one handshake line from stdout
(`1|6|unix|<socket>|grpc|<server certificate>`), and talks gRPC over TLS on that socket (AutoMTLS:
the certificate in the line is the one Terraform trusts). The generated tfplugin6 and go-plugin
service modules come from the PyPI package `tf`.
https://github.com/hashicorp/go-plugin/blob/main/docs/internals.md
"""

from __future__ import annotations

import base64
import json
import os
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from concurrent import futures
from pathlib import Path
from typing import Any, TypeVar

import grpc
from tf.gen import grpc_controller_pb2 as controller_pb
from tf.gen import grpc_controller_pb2_grpc as controller_rpc
from tf.gen import grpc_stdio_pb2_grpc as stdio_rpc
from tf.gen import tfplugin_pb2 as pb
from tf.gen import tfplugin_pb2_grpc as rpc

from . import applying, datasources, planning
from .ctyvalue import decode, encode
from .replace import Step
from .schema import Block, ProviderSchema, load, to_pb

MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE"
MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"

Response = TypeVar("Response")


def _dv(value: Any) -> pb.DynamicValue:
    return pb.DynamicValue(msgpack=encode(value))


def _read(value: pb.DynamicValue) -> Any:
    if value.msgpack:
        return decode(value.msgpack)
    if value.json:
        return json.loads(value.json)
    return None


def _error(summary: str, detail: str = "") -> pb.Diagnostic:
    return pb.Diagnostic(severity=pb.Diagnostic.ERROR, summary=summary, detail=detail)


def _path(steps: tuple[Step, ...]) -> pb.AttributePath:
    out = pb.AttributePath()
    for step in steps:
        if isinstance(step, int):
            out.steps.add(element_key_int=step)
        else:
            out.steps.add(attribute_name=step)
    return out


def conform(block: Block, value: Any) -> Any:
    """A stored object shaped to the schema: every attribute and block present, unknown keys gone."""
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for name, attr in block.attributes.items():
        item = value.get(name)
        if attr.nested is not None and item is not None:
            if attr.nesting == "single":
                item = conform(attr.nested, item)
            elif attr.nesting == "map" and isinstance(item, dict):
                item = {k: conform(attr.nested, v) for k, v in item.items()}
            elif isinstance(item, list):
                item = [conform(attr.nested, v) for v in item]
        out[name] = item
    for name, nested in block.blocks.items():
        item = value.get(name)
        if nested.nesting == "single":
            out[name] = conform(nested.block, item) if item is not None else None
        elif nested.nesting == "map":
            out[name] = {k: conform(nested.block, v) for k, v in (item or {}).items()}
        else:
            out[name] = [conform(nested.block, v) for v in (item or [])]
    return out


class StandinProvider(rpc.ProviderServicer):  # type: ignore[misc]
    """Answers every tfplugin6 call from the schema, the replacement table and the rules above."""

    def __init__(self, schema: ProviderSchema) -> None:
        self.schema = schema
        self.legacy = schema.name == "aws"  # aws resources are SDKv2; awscc is plugin-framework
        self.config = planning.ProviderConfig()
        self._schema_response: pb.GetProviderSchema.Response | None = None
        self._lock = threading.Lock()

    # ---- helpers ---------------------------------------------------------------------------------

    def _guard(
        self, what: str, response: Callable[[], Response], fallback: Callable[[pb.Diagnostic], Response]
    ) -> Response:
        try:
            return response()
        except Exception as exc:  # any failure is a diagnostic Terraform prints, not a dead plugin
            detail = "".join(traceback.format_exception(exc)[-3:])
            return fallback(_error(f"sagespec stand-in provider {self.schema.name}: {what} failed", detail))

    def _resource(self, type_name: str) -> Block:
        try:
            return self.schema.resources[type_name]
        except KeyError:
            raise KeyError(
                f"{type_name} is not in the stand-in's schema: "
                "run `make provider-schemas` after adding it to the HCL"
            ) from None

    # ---- schema and configuration ----------------------------------------------------------------

    def GetMetadata(self, request: Any, context: Any) -> pb.GetMetadata.Response:
        return pb.GetMetadata.Response(
            server_capabilities=pb.ServerCapabilities(plan_destroy=True),
            resources=[pb.GetMetadata.ResourceMetadata(type_name=t) for t in sorted(self.schema.resources)],
            data_sources=[
                pb.GetMetadata.DataSourceMetadata(type_name=t) for t in sorted(self.schema.data_sources)
            ],
        )

    def GetProviderSchema(self, request: Any, context: Any) -> pb.GetProviderSchema.Response:
        with self._lock:
            if self._schema_response is None:
                raw = self.schema.raw
                self._schema_response = pb.GetProviderSchema.Response(
                    provider=to_pb(raw["provider"]),
                    resource_schemas={k: to_pb(v) for k, v in raw["resource_schemas"].items()},
                    data_source_schemas={k: to_pb(v) for k, v in raw.get("data_source_schemas", {}).items()},
                    server_capabilities=pb.ServerCapabilities(plan_destroy=True),
                )
            return self._schema_response

    def ValidateProviderConfig(self, request: Any, context: Any) -> pb.ValidateProviderConfig.Response:
        return pb.ValidateProviderConfig.Response()

    def ValidateResourceConfig(self, request: Any, context: Any) -> pb.ValidateResourceConfig.Response:
        return pb.ValidateResourceConfig.Response()

    def ValidateDataResourceConfig(
        self, request: Any, context: Any
    ) -> pb.ValidateDataResourceConfig.Response:
        return pb.ValidateDataResourceConfig.Response()

    def ConfigureProvider(self, request: Any, context: Any) -> pb.ConfigureProvider.Response:
        def configure() -> pb.ConfigureProvider.Response:
            config = _read(request.config) or {}
            region = config.get("region")
            accounts = config.get("allowed_account_ids") or []
            default_tags = config.get("default_tags") or []
            tags = (
                (default_tags[0] or {}).get("tags")
                if isinstance(default_tags, list) and default_tags
                else None
            )
            self.config = planning.ProviderConfig(
                region=region if isinstance(region, str) else None,
                account_id=sorted(accounts)[0] if isinstance(accounts, list) and len(accounts) == 1 else None,
                default_tags={k: v for k, v in (tags or {}).items() if isinstance(v, str)},
            )
            return pb.ConfigureProvider.Response()

        return self._guard(
            "ConfigureProvider", configure, lambda d: pb.ConfigureProvider.Response(diagnostics=[d])
        )

    def StopProvider(self, request: Any, context: Any) -> pb.StopProvider.Response:
        return pb.StopProvider.Response()

    def GetFunctions(self, request: Any, context: Any) -> pb.GetFunctions.Response:
        return pb.GetFunctions.Response()

    # ---- resources -------------------------------------------------------------------------------

    def UpgradeResourceState(self, request: Any, context: Any) -> pb.UpgradeResourceState.Response:
        def upgrade() -> pb.UpgradeResourceState.Response:
            block = self._resource(request.type_name)
            raw = json.loads(request.raw_state.json) if request.raw_state.json else None
            return pb.UpgradeResourceState.Response(upgraded_state=_dv(conform(block, raw)))

        return self._guard(
            "UpgradeResourceState", upgrade, lambda d: pb.UpgradeResourceState.Response(diagnostics=[d])
        )

    def ReadResource(self, request: Any, context: Any) -> pb.ReadResource.Response:
        # Nothing changes outside Terraform offline: what was applied is what exists.
        return pb.ReadResource.Response(new_state=request.current_state, private=request.private)

    def PlanResourceChange(self, request: Any, context: Any) -> pb.PlanResourceChange.Response:
        def plan() -> pb.PlanResourceChange.Response:
            block = self._resource(request.type_name)
            result = planning.plan(
                request.type_name,
                block,
                _read(request.prior_state),
                _read(request.proposed_new_state),
                _read(request.config),
                self.config,
            )
            return pb.PlanResourceChange.Response(
                planned_state=_dv(result.planned),
                requires_replace=[_path(p) for p in result.requires_replace],
                planned_private=request.prior_private,
                legacy_type_system=self.legacy,
            )

        return self._guard(
            "PlanResourceChange", plan, lambda d: pb.PlanResourceChange.Response(diagnostics=[d])
        )

    def ApplyResourceChange(self, request: Any, context: Any) -> pb.ApplyResourceChange.Response:
        def apply() -> pb.ApplyResourceChange.Response:
            block = self._resource(request.type_name)
            state = applying.apply(request.type_name, block, _read(request.planned_state), self.config)
            return pb.ApplyResourceChange.Response(
                new_state=_dv(state), private=request.planned_private, legacy_type_system=self.legacy
            )

        return self._guard(
            "ApplyResourceChange", apply, lambda d: pb.ApplyResourceChange.Response(diagnostics=[d])
        )

    def ImportResourceState(self, request: Any, context: Any) -> pb.ImportResourceState.Response:
        return pb.ImportResourceState.Response(
            diagnostics=[
                _error(
                    "The offline stand-in providers cannot import", "import needs the real provider and AWS."
                )
            ]
        )

    def MoveResourceState(self, request: Any, context: Any) -> pb.MoveResourceState.Response:
        return pb.MoveResourceState.Response(
            diagnostics=[_error("The offline stand-in providers cannot move state between resource types")]
        )

    def ReadDataSource(self, request: Any, context: Any) -> pb.ReadDataSource.Response:
        def read() -> pb.ReadDataSource.Response:
            block = self.schema.data_sources[request.type_name]
            state = datasources.read(request.type_name, block, _read(request.config) or {}, self.config)
            return pb.ReadDataSource.Response(state=_dv(state))

        return self._guard("ReadDataSource", read, lambda d: pb.ReadDataSource.Response(diagnostics=[d]))


# ---- process -------------------------------------------------------------------------------------


def _server(provider_name: str) -> tuple[grpc.Server, threading.Event]:
    stopped = threading.Event()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    rpc.add_ProviderServicer_to_server(StandinProvider(load(provider_name)), server)

    class Controller(controller_rpc.GRPCControllerServicer):  # type: ignore[misc]
        def Shutdown(self, request: Any, context: Any) -> Any:
            stopped.set()
            return controller_pb.Empty()

    class Stdio(stdio_rpc.GRPCStdioServicer):  # type: ignore[misc]
        def StreamStdio(self, request: Any, context: Any) -> Any:
            return iter(())

    controller_rpc.add_GRPCControllerServicer_to_server(Controller(), server)
    stdio_rpc.add_GRPCStdioServicer_to_server(Stdio(), server)
    return server, stopped


def serve(provider_name: str, tls_dir: Path) -> int:
    """The plugin process Terraform starts from the mirror (go-plugin AutoMTLS handshake)."""
    if os.environ.get(MAGIC_COOKIE_KEY) != MAGIC_COOKIE_VALUE:
        print(
            f"This is sagespec's offline stand-in for the {provider_name} Terraform provider; "
            "Terraform runs it.",
            file=sys.stderr,
        )
        return 1
    server, stopped = _server(provider_name)
    key, cert = (tls_dir / "key.pem").read_bytes(), (tls_dir / "cert.pem").read_bytes()
    der = (tls_dir / "cert.der").read_bytes()
    with tempfile.TemporaryDirectory(prefix="sagespec-standin-") as tmp:
        socket = f"{tmp}/plugin.sock"
        server.add_secure_port(f"unix://{socket}", grpc.ssl_server_credentials([(key, cert)]))
        server.start()
        cert_b64 = base64.b64encode(der).decode().rstrip("=")
        print(f"1|6|unix|{socket}|grpc|{cert_b64}", flush=True)
        try:
            while not stopped.wait(0.05):
                pass
        except KeyboardInterrupt:
            pass
        server.stop(grace=0.2)
    return 0


class Host:
    """Both stand-ins served from this process, for Terraform to reattach to (TF_REATTACH_PROVIDERS).

    Starting a Python plugin costs Terraform a few hundred milliseconds, several times per command;
    a review runs many commands, so it serves the providers once, on unix sockets in a private
    folder, and every Terraform process connects to them instead of starting its own. Commands must
    not overlap on one host: a provider keeps the configuration of the last command that used it.
    """

    def __init__(self, providers: tuple[str, ...] = ("aws", "awscc")) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="sagespec-standin-")
        self._servers: list[grpc.Server] = []
        config: dict[str, Any] = {}
        for name in providers:
            server, _ = _server(name)
            socket = f"{self._tmp.name}/{name}.sock"
            server.add_insecure_port(f"unix://{socket}")
            server.start()
            self._servers.append(server)
            config[f"registry.terraform.io/hashicorp/{name}"] = {
                "Protocol": "grpc",
                "ProtocolVersion": 6,
                "Pid": os.getpid(),
                "Test": True,
                "Addr": {"Network": "unix", "String": socket},
            }
        self.reattach = json.dumps(config, sort_keys=True)

    def environment(self) -> dict[str, str]:
        return {"TF_REATTACH_PROVIDERS": self.reattach}

    def close(self) -> None:
        for server in self._servers:
            server.stop(grace=None)
        self._tmp.cleanup()

    def __enter__(self) -> Host:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
