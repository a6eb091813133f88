"""smoke_test.expect.json_path is read by the same parser `sagespec smoke` uses, so a path that
smoke would refuse after a deploy is refused here, before it."""

from __future__ import annotations

from ..errors import SagespecError
from ..ops import expect
from ..spec.project import Resolved
from .report import Reporter


def check_model(reporter: Reporter, model: Resolved) -> None:
    wanted = (model.spec.get("smoke_test") or {}).get("expect") or {}
    path = wanted.get("json_path")
    if not isinstance(path, str):
        return
    try:
        expect.parse_path(path)
    except SagespecError:
        reporter.error(
            model,
            ("spec", "smoke_test", "expect", "json_path"),
            "E204",
            "smoke_test.expect.json_path is not a path the smoke test can read",
            "start with $ and use .key, ['key'] or [index], e.g. $[0].generated_text",
        )
