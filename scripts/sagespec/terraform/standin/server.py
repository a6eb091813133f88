"""The plugin process: go-plugin handshake, tfplugin6 over gRPC, one provider per process.

Terraform starts the executable with PLUGIN_* variables, reads one handshake line from stdout
(`1|6|unix|<socket>|grpc|<server certificate>`), and talks gRPC over TLS on that socket (AutoMTLS:
the certificate in the line is the one Terraform trusts). The generated tfplugin6 and go-plugin
service modules come from the PyPI package `tf`.
https://github.com/hashicorp/go-plugin/blob/main/docs/internals.md

`Host` serves the same providers in this process instead, for Terraform to reattach to. What the
provider answers is in `provider.py`.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import tempfile
import threading
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc
from tf.gen import grpc_controller_pb2 as controller_pb
from tf.gen import grpc_controller_pb2_grpc as controller_rpc
from tf.gen import grpc_stdio_pb2_grpc as stdio_rpc
from tf.gen import tfplugin_pb2_grpc as rpc

from .provider import StandinProvider
from .schema import load

MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE"
MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"


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
