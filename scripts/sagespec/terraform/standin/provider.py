"""The stand-in provider's answers to every tfplugin6 call: schema, configuration, and the resource
and data source calls handed to planning, applying and datasources. Any failure is returned as a
diagnostic Terraform prints, never a dead plugin."""

from __future__ import annotations

import json
import threading
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from tf.gen import tfplugin_pb2 as pb
from tf.gen import tfplugin_pb2_grpc as rpc

from . import applying, datasources, planning
from .messages import attribute_path, dynamic_value, error_diagnostic, read_value
from .schema import Block, ProviderSchema, to_pb

Response = TypeVar("Response")


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
    """Answers every tfplugin6 call from the schema, the replacement table and the planning rules."""

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
            return fallback(
                error_diagnostic(f"sagespec stand-in provider {self.schema.name}: {what} failed", detail)
            )

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
            config = read_value(request.config) or {}
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
            return pb.UpgradeResourceState.Response(upgraded_state=dynamic_value(conform(block, raw)))

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
                read_value(request.prior_state),
                read_value(request.proposed_new_state),
                read_value(request.config),
                self.config,
            )
            return pb.PlanResourceChange.Response(
                planned_state=dynamic_value(result.planned),
                requires_replace=[attribute_path(p) for p in result.requires_replace],
                planned_private=request.prior_private,
                legacy_type_system=self.legacy,
            )

        return self._guard(
            "PlanResourceChange", plan, lambda d: pb.PlanResourceChange.Response(diagnostics=[d])
        )

    def ApplyResourceChange(self, request: Any, context: Any) -> pb.ApplyResourceChange.Response:
        def apply() -> pb.ApplyResourceChange.Response:
            block = self._resource(request.type_name)
            state = applying.apply(request.type_name, block, read_value(request.planned_state), self.config)
            return pb.ApplyResourceChange.Response(
                new_state=dynamic_value(state),
                private=request.planned_private,
                legacy_type_system=self.legacy,
            )

        return self._guard(
            "ApplyResourceChange", apply, lambda d: pb.ApplyResourceChange.Response(diagnostics=[d])
        )

    def ImportResourceState(self, request: Any, context: Any) -> pb.ImportResourceState.Response:
        return pb.ImportResourceState.Response(
            diagnostics=[
                error_diagnostic(
                    "The offline stand-in providers cannot import", "import needs the real provider and AWS."
                )
            ]
        )

    def MoveResourceState(self, request: Any, context: Any) -> pb.MoveResourceState.Response:
        return pb.MoveResourceState.Response(
            diagnostics=[
                error_diagnostic("The offline stand-in providers cannot move state between resource types")
            ]
        )

    def ReadDataSource(self, request: Any, context: Any) -> pb.ReadDataSource.Response:
        def read() -> pb.ReadDataSource.Response:
            block = self.schema.data_sources[request.type_name]
            state = datasources.read(request.type_name, block, read_value(request.config) or {}, self.config)
            return pb.ReadDataSource.Response(state=dynamic_value(state))

        return self._guard("ReadDataSource", read, lambda d: pb.ReadDataSource.Response(diagnostics=[d]))
