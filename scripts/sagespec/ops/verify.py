"""`sagespec verify`: what the command does (commands/verify.py only parses its arguments).

Wait until every rendered endpoint and inference component has landed, say what happened to
those that did not (with the reason and the log group to read), then run each model's smoke test.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

from .. import atomic
from ..aws import Aws, aws_errors
from ..errors import SagespecError
from ..spec.project import load_project
from . import cliargs, expect, invoke, verify_wait
from . import verify_checks as verify
from .aws_report import reported
from .console import err, out
from .deployed_env import DeployedEnv, target_of
from .smoke import invoke_smoke, smoke_settings
from .verify_wait import Result

SMOKE_TIMEOUT_S = 600.0


@dataclass(frozen=True)
class Smoke:
    model: str
    ok: bool
    detail: str


def read_outputs(path: Path | None) -> dict[str, dict[str, str]]:
    """`terraform output -json`: {name: {"value": ...}} -> {name: value} for the name maps."""
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise SagespecError(
            f"{path}: cannot read Terraform outputs: {exc}", "pass `terraform output -json` output"
        ) from exc
    if not isinstance(data, dict):
        raise SagespecError(f"{path}: not `terraform output -json` output (no object at the top)")
    return {
        k: v["value"] for k, v in data.items() if isinstance(v, dict) and isinstance(v.get("value"), dict)
    }


def run_smokes(
    ctx: DeployedEnv, aws: Aws, models: list[str], poll: float, idle: set[str] | frozenset[str] = frozenset()
) -> list[Smoke]:
    """Each model's smoke test; `idle` models serve nothing now (scaled to zero) and are skipped:
    a request would only wake them, and fail meanwhile."""
    specs = load_project(ctx.root).resolve(ctx.env).models
    found = []
    for model in models:
        spec = specs[model].spec if model in specs else {}
        if not (spec.get("smoke_test") or {}).get("payload"):
            continue
        if model in idle:
            found.append(Smoke(model, True, "skipped: scaled to zero (no instance or copy in service)"))
            continue
        smoke = smoke_settings(spec, None)
        timeout = float(smoke.get("timeout_s") or SMOKE_TIMEOUT_S)
        try:
            reply = invoke_smoke(ctx, aws, target_of(ctx, model), smoke, timeout, poll)
        except invoke.InvokeFailed as exc:
            found.append(Smoke(model, False, f"invocation failed: {exc}"))
            continue
        problem = expect.check(smoke.get("expect"), reply.body)
        found.append(Smoke(model, problem is None, problem or f"answered in {reply.latency_ms:.0f} ms"))
    return found


def _model_of(ctx: DeployedEnv, result: Result) -> str | None:
    if result.expect.kind == "adapter":
        return result.expect.key
    if result.expect.kind == "component":
        return str(ctx.rendered["inference_components"][result.expect.key]["model_key"])
    model = ctx.rendered["endpoints"][result.expect.key].get("model_key")
    return str(model) if model else None


def _adapters_on(ctx: DeployedEnv, bases: set[str]) -> set[str]:
    adapters = ctx.rendered.get("inference_component_adapters") or {}
    return {key for key, adapter in adapters.items() if adapter["base_key"] in bases}


def report_lines(env: str, results: list[Result], smokes: list[Smoke], smoked: bool) -> list[str]:
    """Plain lines, the same on the console and in the Markdown report."""
    lines = []
    for r in results:
        mark = "ok  " if r.verdict.state == verify.LANDED else "FAIL"
        lines.append(f"{mark} {r.expect.label}: {r.verdict.state} ({r.verdict.status}, {r.seconds:.0f} s)")
        if r.verdict.state != verify.LANDED:
            lines.append(f"     reason: {r.verdict.reason or 'none given'}")
            lines.append(f"     logs: CloudWatch log group {verify.log_group(r.expect.endpoint)}")
    for s in smokes:
        lines.append(f"{'ok  ' if s.ok else 'FAIL'} smoke test {s.model}: {s.detail}")
    landed = sum(r.verdict.state == verify.LANDED for r in results)
    passed = sum(s.ok for s in smokes)
    tested = f"{passed}/{len(smokes)} smoke tests passed" if smoked else "smoke tests not run"
    lines.append(f"{env}: {landed}/{len(results)} landed, {tested}")
    return lines


def markdown(env: str, ok: bool, lines: list[str]) -> str:
    head = "✅ deploy landed" if ok else "❌ deploy did not land"
    body = "\n".join(lines)
    return f"<!-- sagespec-verify {env} -->\n### sagespec verify: {env}: {head}\n\n```text\n{body}\n```\n"


def main(args: argparse.Namespace) -> int:
    ctx, aws = cliargs.context(args)
    expects = verify.expectations(ctx.rendered, read_outputs(args.outputs))
    console = out()
    with reported(f"verify {ctx.env}"), aws_errors(f"verify {ctx.env}"):
        results = verify_wait.wait_all(aws.client("sagemaker"), expects, err(), args.poll, args.timeout)
        landed = all(r.verdict.state == verify.LANDED for r in results)
        models = sorted({m for r in results if (m := _model_of(ctx, r))})
        idle = {m for r in results if r.verdict.serving == 0 and (m := _model_of(ctx, r))}
        idle |= _adapters_on(ctx, idle)  # an adapter serves only on its base's copies
        smoked = landed and not args.no_smoke  # a deploy that did not land is not smoke tested
        smokes = run_smokes(ctx, aws, models, args.poll, idle) if smoked else []
    ok = landed and all(s.ok for s in smokes)
    lines = report_lines(ctx.env, results, smokes, smoked)
    for line in lines:
        console.print(line, markup=False)
    if args.report:
        atomic.write_text(args.report, markdown(ctx.env, ok, lines))
    return 0 if ok else 1
