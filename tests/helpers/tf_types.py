"""Terraform type constraints, parsed from variable `type` expressions and checked against JSON values.

The rendered tfvars file is the only input of the root module, so a value that does not match the
root variables' types is an error Terraform would only show at plan time, with AWS credentials.
This checks it offline. It is deliberately stricter than Terraform in two ways the contract asks for
(docs/rendered-format.md): no implicit conversions (a number where a string is declared is an error,
Terraform would silently convert it) and no unknown object attributes (Terraform drops them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

PRIMITIVES = ("string", "number", "bool", "any")
COLLECTIONS = ("list", "set", "map")


@dataclass(frozen=True)
class TfType:
    kind: str  # string number bool any list set map object tuple
    elem: TfType | None = None  # list, set, map
    attrs: dict[str, TfAttr] = field(default_factory=dict)  # object
    items: tuple[TfType, ...] = ()  # tuple

    def __str__(self) -> str:
        if self.kind in COLLECTIONS:
            return f"{self.kind}({self.elem})"
        if self.kind == "object":
            inner = ", ".join(
                f"{k} = {'optional(' if a.optional else ''}{a.type}{')' if a.optional else ''}"
                for k, a in self.attrs.items()
            )
            return f"object({{{inner}}})"
        if self.kind == "tuple":
            return f"tuple([{', '.join(map(str, self.items))}])"
        return self.kind


@dataclass(frozen=True)
class TfAttr:
    type: TfType
    optional: bool = False
    default: str | None = None  # the default's HCL text, for documentation only


@dataclass(frozen=True)
class VariableSpec:
    """What the checker needs to know about one declared variable."""

    name: str
    type_expr: str | None  # None: no `type` argument (Terraform treats it as `any`)
    has_default: bool
    nullable: bool = True


class TypeSyntaxError(ValueError):
    pass


# --- parsing -----------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<id>[A-Za-z_][\w-]*)|(?P<num>\d+(?:\.\d+)?)'
    r"|(?P<p>[(){}\[\],=:])|(?P<other>\S))"
)


def _tokens(text: str) -> list[str]:
    out, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            break
        pos = match.end()
        if match.lastgroup:
            out.append(match.group(match.lastgroup))
    return out


def strip_interpolation(expr: str) -> str:
    """python-hcl2 writes expressions as `${...}`."""
    expr = expr.strip()
    return expr[2:-1] if expr.startswith("${") and expr.endswith("}") else expr


def parse_type(expr: str) -> TfType:
    """`object({a = optional(string, "x"), b = list(number)})` -> TfType; raises TypeSyntaxError."""
    parser = _Parser(_tokens(strip_interpolation(expr)))
    result = parser.type()
    if parser.pos != len(parser.toks):
        raise TypeSyntaxError(f"unexpected {parser.toks[parser.pos]!r} in type {expr!r}")
    return result


class _Parser:
    def __init__(self, toks: list[str]) -> None:
        self.toks = toks
        self.pos = 0

    def peek(self) -> str:
        return self.toks[self.pos] if self.pos < len(self.toks) else ""

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if not tok or (expected is not None and tok != expected):
            raise TypeSyntaxError(f"expected {expected or 'a token'}, found {tok or 'end of type'!r}")
        self.pos += 1
        return tok

    def type(self) -> TfType:
        name = self.take()
        if name in PRIMITIVES:
            return TfType(name)
        if name in COLLECTIONS:
            self.take("(")
            elem = self.type()
            self.take(")")
            return TfType(name, elem=elem)
        if name == "object":
            return self.object()
        if name == "tuple":
            self.take("(")
            self.take("[")
            items = []
            while self.peek() != "]":
                items.append(self.type())
                if self.peek() == ",":
                    self.take(",")
            self.take("]")
            self.take(")")
            return TfType("tuple", items=tuple(items))
        raise TypeSyntaxError(f"unknown type {name!r}")

    def object(self) -> TfType:
        self.take("(")
        self.take("{")
        attrs: dict[str, TfAttr] = {}
        while self.peek() != "}":
            key = self.take()
            if self.peek() not in ("=", ":"):
                raise TypeSyntaxError(f"expected = after object attribute {key!r}")
            self.take()
            attrs[key.strip('"')] = self.attribute()
            if self.peek() == ",":
                self.take(",")
        self.take("}")
        self.take(")")
        return TfType("object", attrs=attrs)

    def attribute(self) -> TfAttr:
        if self.peek() != "optional":
            return TfAttr(self.type())
        self.take("optional")
        self.take("(")
        inner = self.type()
        default = None
        if self.peek() == ",":
            self.take(",")
            default = self.raw_expression()
        self.take(")")
        return TfAttr(inner, optional=True, default=default)

    def raw_expression(self) -> str:
        """An optional() default: any expression, kept as text up to the closing parenthesis."""
        depth, start = 0, self.pos
        while self.peek() and not (depth == 0 and self.peek() in (",", ")")):
            tok = self.take()
            depth += tok in "([{"
            depth -= tok in ")]}"
        return " ".join(self.toks[start : self.pos])


# --- checking ----------------------------------------------------------------------------------------


def check_value(value: Any, tftype: TfType, path: str) -> list[str]:
    """Every way `value` (parsed JSON) fails `tftype`; null is accepted here (see check_tfvars)."""
    if value is None or tftype.kind == "any":
        return []
    kind = tftype.kind
    if kind == "string":
        return [] if isinstance(value, str) else [f"{path}: expected string, got {_describe(value)}"]
    if kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return [] if ok else [f"{path}: expected number, got {_describe(value)}"]
    if kind == "bool":
        return [] if isinstance(value, bool) else [f"{path}: expected bool, got {_describe(value)}"]
    if kind in ("list", "set", "tuple"):
        if not isinstance(value, list):
            return [f"{path}: expected {tftype}, got {_describe(value)}"]
        if kind == "tuple":
            if len(value) != len(tftype.items):
                return [f"{path}: expected {len(tftype.items)} elements, got {len(value)}"]
            return [
                e
                for i, (v, t) in enumerate(zip(value, tftype.items, strict=True))
                for e in check_value(v, t, f"{path}[{i}]")
            ]
        assert tftype.elem is not None
        return [e for i, v in enumerate(value) for e in check_value(v, tftype.elem, f"{path}[{i}]")]
    if not isinstance(value, dict):
        return [f"{path}: expected {tftype.kind}, got {_describe(value)}"]
    if kind == "map":
        assert tftype.elem is not None
        return [e for k, v in value.items() for e in check_value(v, tftype.elem, f"{path}.{k}")]
    return _check_object(value, tftype, path)


def _check_object(value: dict[str, Any], tftype: TfType, path: str) -> list[str]:
    errors = [
        f"{path}.{key}: not an attribute of the declared object type"
        for key in value
        if key not in tftype.attrs
    ]
    for name, attr in tftype.attrs.items():
        if name in value:
            errors += check_value(value[name], attr.type, f"{path}.{name}")
        elif not attr.optional:
            errors.append(f"{path}.{name}: missing (required by the type; use null when unused)")
    return errors


def _describe(value: Any) -> str:
    kind = {bool: "bool", int: "number", float: "number", str: "string", list: "list", dict: "object"}
    text = repr(value) if not isinstance(value, list | dict) else ""
    return f"{kind.get(type(value), type(value).__name__)} {text}".strip()


def check_tfvars(values: Mapping[str, Any], variables: Mapping[str, VariableSpec]) -> list[str]:
    """A tfvars JSON document against the declared variables of a root module."""
    errors = [f"{key}: not a variable of the root module" for key in values if key not in variables]
    for name, var in sorted(variables.items()):
        if name not in values:
            if not var.has_default:
                errors.append(f"{name}: missing (the variable has no default)")
            continue
        if values[name] is None:
            if not var.nullable:
                errors.append(f"{name}: null, but the variable is declared nullable = false")
            continue
        if var.type_expr is None:
            continue
        try:
            errors += check_value(values[name], parse_type(var.type_expr), name)
        except TypeSyntaxError as exc:
            errors.append(f"{name}: cannot parse its type: {exc}")
    return errors


def any_paths(tftype: TfType, path: str) -> Iterator[str]:
    """Where `any` appears inside a type (the contract wants strict types everywhere)."""
    if tftype.kind == "any":
        yield path
    if tftype.elem is not None:
        yield from any_paths(tftype.elem, f"{path}[*]")
    for name, attr in tftype.attrs.items():
        yield from any_paths(attr.type, f"{path}.{name}")
    for i, item in enumerate(tftype.items):
        yield from any_paths(item, f"{path}[{i}]")


def loose_types(variables: Mapping[str, VariableSpec]) -> list[str]:
    """Variables that are untyped or use `any` anywhere in their type."""
    problems = []
    for name, var in sorted(variables.items()):
        if var.type_expr is None:
            problems.append(f"{name}: no type (Terraform treats it as any)")
            continue
        try:
            problems += [f"{where}: uses `any`" for where in any_paths(parse_type(var.type_expr), name)]
        except TypeSyntaxError as exc:
            problems.append(f"{name}: cannot parse its type: {exc}")
    return problems
