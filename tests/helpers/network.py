"""Test guard: only loopback connections are allowed, so an accidental real AWS call fails loudly."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

_real_connect = socket.socket.connect
_real_create_connection = socket.create_connection


def _is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name other than localhost: real network


class RealNetworkCall(AssertionError):
    pass


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(str(address[0])):
        raise RealNetworkCall(f"test tried to reach {address!r}: only 127.0.0.1 is allowed in tests")
    return _real_connect(self, address)


def _guarded_create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
    if not _is_loopback(str(address[0])):
        raise RealNetworkCall(f"test tried to reach {address!r}: only 127.0.0.1 is allowed in tests")
    return _real_create_connection(address, *args, **kwargs)


def install() -> None:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.create_connection = _guarded_create_connection


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
