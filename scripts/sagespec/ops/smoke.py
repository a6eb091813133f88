"""`sagespec smoke`: what the command does (commands/smoke.py only parses its arguments)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console

from ..aws import Aws, aws_errors
from ..errors import SagespecError
from ..spec.facts import async_input_beside
from . import cliargs, expect, invoke, waiting
from .console import err, out
from .deployed_env import DeployedEnv, Target, model_spec, target_of


def smoke_settings(spec: dict[str, Any], payload_arg: str | None) -> dict[str, Any]:
    smoke = dict(spec.get("smoke_test") or {})
    if payload_arg is not None:
        try:
            smoke["payload"] = json.loads(payload_arg)
        except ValueError as exc:
            raise SagespecError(f"--payload is not JSON: {exc}") from exc
    if "payload" not in smoke:
        raise SagespecError(
            "the spec has no smoke_test.payload", "add smoke_test: {payload: ...} or pass --payload"
        )
    if smoke.get("expect") and "json_path" in smoke["expect"]:
        expect.parse_path(
            str(smoke["expect"]["json_path"])
        )  # a bad path is a usage error, before any waiting
    return smoke


def _wait(aws: Aws, target: Target, timeout: float, poll: float, console: Console) -> waiting.Waited:
    sm = aws.client("sagemaker")
    waited = waiting.wait_in_service(
        waiting.endpoint_status(sm, target.endpoint), f"endpoint {target.endpoint}", timeout, poll, console
    )
    if waited.ok and target.component:
        left = max(timeout - waited.seconds, poll)
        waited = waiting.wait_in_service(
            waiting.component_status(sm, target.component),
            f"inference component {target.component}",
            left,
            poll,
            console,
        )
    return waited


def invoke_smoke(
    ctx: DeployedEnv, aws: Aws, target: Target, smoke: dict[str, Any], timeout: float, poll: float
) -> invoke.Reply:
    content_type = str(smoke.get("content_type", invoke.JSON))
    body = invoke.encode(smoke["payload"], content_type)
    runtime = aws.client("sagemaker-runtime")
    if target.endpoint_type != "async":
        return invoke.invoke(runtime, target, body, content_type, str(smoke.get("accept", "*/*")))
    # async/<endpoint>/input/, beside the rendered output/ and failure/ prefixes
    config = ctx.rendered["endpoints"][target.model]["async"]
    if config is None:  # an async endpoint always renders its output prefixes
        raise SagespecError(
            f"envs/{ctx.env}/rendered.tfvars.json: async endpoint {target.model!r} has no async config",
            f"rerun `sagespec render --env {ctx.env}`",
        )
    output = config["output_s3_uri"]
    return invoke.invoke_async(
        runtime,
        aws.client("s3"),
        async_input_beside(output),
        target,
        body,
        content_type,
        timeout,
        min(poll, 5.0),
    )


def main(args: argparse.Namespace) -> int:
    ctx, aws = cliargs.context(args)
    smoke = smoke_settings(model_spec(ctx.root, ctx.env, args.model), args.payload)
    target = target_of(ctx, args.model)
    timeout = float(args.timeout or smoke.get("timeout_s") or cliargs.SMOKE_TIMEOUT_S)
    console = out()
    where = f"{target.endpoint} / {target.component}" if target.component else target.endpoint
    console.print(f"{args.model} ({ctx.env}): {where}")
    with aws_errors(f"smoke {args.model}"):
        waited = _wait(aws, target, timeout, args.poll, err())
        if not waited.ok:
            console.print(f"FAILED: {waited.status}: {waited.reason or 'no reason given'}")
            return 1
        try:
            reply = invoke_smoke(ctx, aws, target, smoke, timeout, args.poll)
        except invoke.InvokeFailed as exc:
            console.print(f"FAILED: invocation: {exc}")
            return 1
    excerpt = reply.body if len(reply.body) <= args.max_chars else reply.body[: args.max_chars] + " ..."
    console.print(
        f"latency: {reply.latency_ms:.0f} ms ({reply.content_type or 'unknown type'}, "
        f"{len(reply.body)} chars)"
    )
    console.print(f"response: {excerpt}")
    problem = expect.check(smoke.get("expect"), reply.body)
    if problem:
        console.print(f"FAILED: {problem}")
        return 1
    console.print("ok" + (" (expect matched)" if smoke.get("expect") else ""))
    return 0
