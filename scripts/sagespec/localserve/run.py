"""What `sagespec serve` and `sagespec smoke --local` do: lay out the model dir, load, serve."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import SagespecError
from ..layout import find_root
from ..ops import expect
from ..ops.invoke import encode
from . import modeldir, requirements
from .server import LocalServer
from .toolkit import Handler, UserCodeError


@contextlib.contextmanager
def _environment(values: dict[str, Any]) -> Iterator[None]:
    """The spec's container environment, for the user's code, restored afterwards."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update({k: str(v) for k, v in values.items()})
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def loaded(root: Path, name: str, env: str | None, install: bool) -> Iterator[tuple[Handler, dict[str, Any]]]:
    spec = modeldir.model_spec(root, name, env)
    folder = modeldir.build(root, spec, name)
    try:
        reqs = folder / modeldir.CODE_DIR / "requirements.txt"
        if install and reqs.is_file():
            print(
                f"installing {spec['code']}/requirements.txt into a scratch virtualenv ...", file=sys.stderr
            )
            requirements.activate(requirements.install(reqs.resolve()))
        with _environment(dict(spec.get("environment", {}))):
            yield Handler(folder), spec
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def serve_forever(args: argparse.Namespace) -> int:
    root = find_root(getattr(args, "root", None))
    try:
        with loaded(root, args.model, args.env, args.install_requirements) as (handler, _):
            server = _bind(handler, args.port)
            print(
                f"serving {args.model} on http://127.0.0.1:{server.port} "
                "(GET /ping, POST /invocations); Ctrl-C stops"
            )
            try:
                server.serve_forever()
            finally:
                server.server_close()
    except UserCodeError as exc:
        sys.stderr.write(exc.report)
        return 1
    return 0


def _bind(handler: Handler, port: int) -> LocalServer:
    try:
        return LocalServer(handler, port)
    except OSError as exc:
        raise SagespecError(
            f"cannot listen on 127.0.0.1:{port}: {exc.strerror}", "pick another --port"
        ) from exc


def smoke_local(args: argparse.Namespace) -> int:
    """Run the spec's smoke test against a local server: our own, or one already on --port."""
    from ..ops.smoke import smoke_settings

    root = find_root(getattr(args, "root", None))
    spec = modeldir.model_spec(root, args.model, args.env)
    smoke = smoke_settings(spec, args.payload)
    if args.port:
        return _check(args.model, f"http://127.0.0.1:{args.port}", smoke, args.max_chars)
    try:
        with loaded(root, args.model, args.env, getattr(args, "install_requirements", False)) as (handler, _):
            server = _bind(handler, 0)
            server.start()
            try:
                return _check(args.model, f"http://127.0.0.1:{server.port}", smoke, args.max_chars)
            finally:
                server.shutdown()
                server.server_close()
    except UserCodeError as exc:
        sys.stderr.write(exc.report)
        print("FAILED: the model did not load", file=sys.stderr)
        return 1


def _check(name: str, url: str, smoke: dict[str, Any], max_chars: int) -> int:
    content_type = str(smoke.get("content_type", "application/json"))
    request = urllib.request.Request(
        url + "/invocations",
        data=encode(smoke["payload"], content_type),
        headers={"Content-Type": content_type, "Accept": str(smoke.get("accept", "*/*"))},
        method="POST",
    )
    print(f"{name} (local): {url}")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=float(smoke.get("timeout_s", 60))) as reply:
            body = reply.read().decode("utf-8", errors="replace")
            answer_type = reply.headers.get("Content-Type")
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", errors="replace")
        print(f"FAILED: HTTP {exc.code}\n{detail}")
        return 1
    except (urllib.error.URLError, OSError) as exc:
        raise SagespecError(
            f"no local server answers at {url}: {exc}", "start it with `sagespec serve MODEL`"
        ) from exc
    latency = (time.perf_counter() - started) * 1000
    print(f"latency: {latency:.0f} ms ({answer_type or 'unknown type'}, {len(body)} chars)")
    print(f"response: {body if len(body) <= max_chars else body[:max_chars] + ' ...'}")
    problem = expect.check(smoke.get("expect"), body)
    if problem:
        print(f"FAILED: {problem}")
        return 1
    print("ok" + (" (expect matched)" if smoke.get("expect") else ""))
    return 0
