"""The tfplugin6 message pieces the stand-in reads and writes: dynamic values (msgpack, or JSON
from older state), error diagnostics and attribute paths."""

from __future__ import annotations

import json
from typing import Any

from tf.gen import tfplugin_pb2 as pb

from .ctyvalue import decode, encode
from .replace import Step


def dynamic_value(value: Any) -> pb.DynamicValue:
    return pb.DynamicValue(msgpack=encode(value))


def read_value(value: pb.DynamicValue) -> Any:
    if value.msgpack:
        return decode(value.msgpack)
    if value.json:
        return json.loads(value.json)
    return None


def error_diagnostic(summary: str, detail: str = "") -> pb.Diagnostic:
    return pb.Diagnostic(severity=pb.Diagnostic.ERROR, summary=summary, detail=detail)


def attribute_path(steps: tuple[Step, ...]) -> pb.AttributePath:
    out = pb.AttributePath()
    for step in steps:
        if isinstance(step, int):
            out.steps.add(element_key_int=step)
        else:
            out.steps.add(attribute_name=step)
    return out
