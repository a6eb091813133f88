"""Terraform schemas rebuilt from the generated JavaScript of one cdktn provider module.

The cdktn provider packages (PyPI `cdktn-provider-aws`, `cdktn-provider-awscc`) are generated from
`terraform providers schema -json`, and each `package/lib/<type>/index.js` inside their jsii tarball
still says, in generated code, what that schema said:

- `// name - computed: X, optional: Y, required: Z` above every getter: the attribute's flags;
- `synthesizeHclAttributes()` of the resource class and the `<struct>ToHclTerraform` functions:
  each configurable argument's `isBlock`, its `type` (`simple` | `list` | `set` | `map` | `struct`),
  its `storageClassType` (`string`, `numberList`, `stringMap`, or a struct class) and, in `value`,
  the converter of a nested struct;
- a nested struct held by an `...OutputReference` (not a `...List`) is a max-1 block (`struct`:
  single nesting), a `...List` with `wrapsSet` true is a set;
- computed-only attributes have only a getter: `getStringAttribute('x')`, `getNumberListAttribute`,
  `cdktn.Fn.tolist(...)` (a set read as a list), `new XList(this, "x", wrapsSet)` (objects).

What the code does not carry (sensitive, max_items > 1, schema versions) comes from overrides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]

_FLAGS = re.compile(r"^\s*// (\w+) - computed: (true|false), optional: (true|false), required: (true|false)$")
_UNIT = re.compile(r"^(?:function (\w+)\(|class (\w+) extends ([\w.]+) )")
_HCL_ATTR = re.compile(
    r"^\s+(\w+): \{\n\s+value: (.*),\n\s+isBlock: (true|false),\n\s+type: \"(\w+)\",\n"
    r"\s+storageClassType: \"(\w+)\",\n\s+\},$",
    re.M,
)
_RESOURCE_TYPE = re.compile(r'static tfResourceType = "([\w-]+)";')
_CONVERTER = re.compile(r"(?<![.\w])(\w+)ToHclTerraform\b")  # not cdktn.stringToHclTerraform
_GETTER_RETURN = re.compile(r"^\s+get (\w+)\(\) \{\n\s+return (.*);$", re.M)
_NEW_COMPLEX = re.compile(r'new (?:cdktn\.)?(\w+)\(this, "(\w+)"(?:, (true|false))?\)')

# Getter of a computed-only attribute -> cty type.
_GETTER_TYPES: dict[str, Any] = {
    "getStringAttribute": "string",
    "getNumberAttribute": "number",
    "getBooleanAttribute": "bool",
    "getListAttribute": ["list", "string"],
    "getNumberListAttribute": ["list", "number"],
    "getStringMapAttribute": ["map", "string"],
    "getNumberMapAttribute": ["map", "number"],
    "getBooleanMapAttribute": ["map", "bool"],
    "getAnyMapAttribute": ["map", "dynamic"],
}
_CDKTN_CLASSES: dict[str, Any] = {
    "StringMap": ["map", "string"],
    "NumberMap": ["map", "number"],
    "BooleanMap": ["map", "bool"],
    "AnyMap": ["map", "dynamic"],
    "StringMapList": ["list", ["map", "string"]],
    "NumberMapList": ["list", ["map", "number"]],
    "BooleanMapList": ["list", ["map", "bool"]],
    "AnyMapList": ["list", ["map", "dynamic"]],
    "StringListList": ["list", ["list", "string"]],
    "NumberListList": ["list", ["list", "number"]],
}
# storageClassType of a configurable primitive argument -> element cty type.
_STORAGE_ELEMENTS = {
    "string": "string",
    "number": "number",
    "boolean": "bool",
    "stringList": "string",
    "numberList": "number",
    "booleanList": "bool",
    "stringMap": "string",
    "numberMap": "number",
    "booleanMap": "bool",
    "anyMap": "dynamic",
}


class SchemaSourceError(ValueError):
    """The generated code does not have the shape this reader knows."""


@dataclass
class Field:
    """What the code says about one attribute or nested struct of a struct or resource class."""

    name: str
    computed: bool = False
    optional: bool = False
    required: bool = False
    getter: str = ""  # the getter's return expression, or the complex class initialiser
    hcl: tuple[str, str, str, str] | None = None  # (value, isBlock, type, storageClassType)


@dataclass
class Module:
    """One parsed index.js: its classes' fields and its structs' HCL converters."""

    resource_type: str
    top_class: str
    base: str
    classes: dict[str, dict[str, Field]] = field(default_factory=dict)
    converters: dict[str, dict[str, tuple[str, str, str, str]]] = field(default_factory=dict)


def _units(text: str) -> list[tuple[str, str, str]]:
    """(kind, name, body) for each top-level function and class; the file is generated, so a unit
    starts at column 0 with `function`/`class` and ends at the next line that is exactly `}`."""
    units: list[tuple[str, str, str]] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        match = _UNIT.match(lines[i])
        if match is None:
            i += 1
            continue
        end = i + 1
        while end < len(lines) and lines[end] != "}":
            end += 1
        body = "\n".join(lines[i : end + 1])
        if match.group(1):
            units.append(("function", match.group(1), body))
        else:
            units.append((match.group(3), match.group(2), body))
        i = end + 1
    return units


def _class_fields(body: str) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    lines = body.split("\n")
    for i, line in enumerate(lines):
        match = _FLAGS.match(line)
        if match is None:
            continue
        name, computed, optional, required = match.groups()
        # The field initialiser (complex types) or the getter follow within a few lines.
        window = "\n".join(lines[i + 1 : i + 4])
        complex_init = _NEW_COMPLEX.search(lines[i + 1]) if i + 1 < len(lines) else None
        getter = _GETTER_RETURN.search(window)
        fields[name] = Field(
            name,
            computed == "true",
            optional == "true",
            required == "true",
            complex_init.group(0) if complex_init else (getter.group(2) if getter else ""),
        )
    synth = body.find("synthesizeHclAttributes()")
    if synth >= 0:
        for hcl in _HCL_ATTR.finditer(body[synth:]):
            if hcl.group(1) in fields:
                fields[hcl.group(1)].hcl = _hcl_entry(hcl)
    return fields


def _hcl_entry(match: re.Match[str]) -> tuple[str, str, str, str]:
    """(value, isBlock, type, storageClassType) of one synthesizeHclAttributes entry."""
    return match.group(2), match.group(3), match.group(4), match.group(5)


def parse_module(text: str) -> Module:
    module: Module | None = None
    classes: dict[str, dict[str, Field]] = {}
    converters: dict[str, dict[str, tuple[str, str, str, str]]] = {}
    for kind, name, body in _units(text):
        if kind == "function":
            if name.endswith("ToHclTerraform"):
                struct = name[: -len("ToHclTerraform")]
                converters[struct[0].upper() + struct[1:]] = {
                    m.group(1): _hcl_entry(m) for m in _HCL_ATTR.finditer(body)
                }
            continue
        classes[name] = _class_fields(body)
        if kind in ("cdktn.TerraformResource", "cdktn.TerraformDataSource", "cdktn.TerraformProvider"):
            found = _RESOURCE_TYPE.search(body)
            if found is None:
                raise SchemaSourceError(f"class {name} has no tfResourceType")
            module = Module(found.group(1), name, kind)
    if module is None:
        raise SchemaSourceError("no resource, data source or provider class in this module")
    module.classes, module.converters = classes, converters
    return module


class BlockBuilder:
    """Builds `terraform providers schema -json` blocks from one parsed module.

    nested_attributes: awscc (terraform-plugin-framework, generated from CloudFormation) writes every
    nested object as a nested attribute; the aws provider writes them as blocks (its schema has no
    nested attributes at all).
    """

    def __init__(self, module: Module, *, nested_attributes: bool, dts: str = "") -> None:
        self.module = module
        self.nested_attributes = nested_attributes
        self.dts = dts

    def top(self) -> Json:
        fields = self.module.classes[self.module.top_class]
        converters = {name: f.hcl for name, f in fields.items() if f.hcl is not None}
        return self.block(fields, converters, self.module.top_class)

    def block(self, fields: dict[str, Field], hcl: dict[str, tuple[str, str, str, str]], struct: str) -> Json:
        attributes: Json = {}
        block_types: Json = {}
        names = list(dict.fromkeys([*fields, *hcl]))
        for name in names:
            info = fields.get(name) or self._dts_field(struct, name, hcl[name])
            entry = hcl.get(name) or info.hcl
            if entry is not None and entry[1] == "true" and not self.nested_attributes:
                block_types[name] = self._block_type(info, entry)
            else:
                attributes[name] = self._attribute(info, entry)
        out: Json = {}
        if attributes:
            out["attributes"] = dict(sorted(attributes.items()))
        if block_types:
            out["block_types"] = dict(sorted(block_types.items()))
        return out

    def _dts_field(self, struct: str, name: str, entry: tuple[str, str, str, str]) -> Field:
        """A struct with no OutputReference class (the provider's blocks): the flags from index.d.ts."""
        camel = _camel_of(entry[0], name)
        declared = re.search(rf"export interface {struct} \{{(.*?)\n\}}", self.dts, re.S) or re.search(
            rf"export interface {struct}Config[^{{]*\{{(.*?)\n\}}", self.dts, re.S
        )
        optional = True
        if declared:
            prop = re.search(rf"readonly {camel}(\??):", declared.group(1))
            optional = bool(prop and prop.group(1))
        return Field(name, optional=optional, required=not optional)

    def _flags(self, info: Field) -> Json:
        flags = {"computed": info.computed, "optional": info.optional, "required": info.required}
        return {k: True for k, v in flags.items() if v}

    def _struct_of(self, info: Field, entry: tuple[str, str, str, str] | None) -> str | None:
        if entry is not None:
            converter = _CONVERTER.search(entry[0])
            if converter:
                return converter.group(1)[0].upper() + converter.group(1)[1:]
        complex_init = _NEW_COMPLEX.match(info.getter)
        if complex_init and complex_init.group(1) in _CDKTN_CLASSES:
            return None
        if complex_init and complex_init.group(1).endswith(("OutputReference", "List", "Map")):
            return re.sub(r"(OutputReference|List|Map)$", "", complex_init.group(1))
        return None

    def _nested(self, struct: str) -> Json:
        fields = self.module.classes.get(f"{struct}OutputReference", {})
        return self.block(fields, self.module.converters.get(struct, {}), struct)

    def _block_type(self, info: Field, entry: tuple[str, str, str, str]) -> Json:
        struct = self._struct_of(info, entry)
        if struct is None:
            raise SchemaSourceError(f"{self.module.resource_type}.{info.name}: a block with no struct")
        kind = entry[2]
        single = f"{struct}OutputReference" in info.getter or (
            f"{struct}OutputReference" in self.module.classes and f"{struct}List" not in self.module.classes
        )
        out: Json = {"block": self._nested(struct)}
        if kind == "struct":
            out["nesting_mode"] = "single"
        else:
            out["nesting_mode"] = kind if kind in ("list", "set") else "list"
            if single:
                out["max_items"] = 1
        if info.required and kind != "struct":
            out["min_items"] = 1
        return dict(sorted(out.items()))

    def _attribute(self, info: Field, entry: tuple[str, str, str, str] | None) -> Json:
        out = self._flags(info)
        struct = self._struct_of(info, entry)
        if struct is not None:
            nesting = self._nesting_of(info, entry)
            nested = self._nested(struct)
            if self.nested_attributes:
                out["nested_type"] = {**nested, "nesting_mode": nesting}
            else:
                out["type"] = _wrap(nesting, _object_type(nested))
        else:
            out["type"] = self._primitive_type(info, entry)
        return dict(sorted(out.items()))

    def _nesting_of(self, info: Field, entry: tuple[str, str, str, str] | None) -> str:
        if entry is not None:
            return {"struct": "single"}.get(entry[2], entry[2])
        complex_init = _NEW_COMPLEX.match(info.getter)
        assert complex_init is not None
        cls = complex_init.group(1)
        if cls.endswith("OutputReference"):
            return "single"
        if cls.endswith("Map"):
            return "map"
        return "set" if complex_init.group(3) == "true" else "list"

    def _primitive_type(self, info: Field, entry: tuple[str, str, str, str] | None) -> Any:
        if entry is not None:
            kind, storage = entry[2], entry[3]
            if storage not in _STORAGE_ELEMENTS:
                raise SchemaSourceError(f"{self.module.resource_type}.{info.name}: storage {storage}")
            element = _STORAGE_ELEMENTS[storage]
            return element if kind == "simple" else [kind, element]
        return _getter_type(info.getter, f"{self.module.resource_type}.{info.name}")


def _getter_type(expr: str, where: str) -> Any:
    complex_init = _NEW_COMPLEX.match(expr)
    if complex_init and complex_init.group(1) in _CDKTN_CLASSES:
        return _CDKTN_CLASSES[complex_init.group(1)]
    as_set = "cdktn.Fn.tolist(" in expr
    for getter, cty in _GETTER_TYPES.items():
        if f"this.{getter}(" in expr:
            if as_set and isinstance(cty, list) and cty[0] == "list":
                return ["set", cty[1]]
            return cty
    if "interpolationForAttribute" in expr:
        return "dynamic"
    raise SchemaSourceError(f"{where}: cannot tell the type of `{expr}`")


def _object_type(block: Json) -> list[Any]:
    """A nested block read as a value (SDKv2 computed-only blocks): cty object of its attributes."""
    members = {name: a["type"] for name, a in block.get("attributes", {}).items()}
    for name, bt in block.get("block_types", {}).items():
        members[name] = _wrap(bt["nesting_mode"], _object_type(bt["block"]))
    return ["object", dict(sorted(members.items()))]


def _wrap(nesting: str, inner: list[Any]) -> Any:
    return inner if nesting == "single" else [nesting, inner]


def _camel_of(value: str, name: str) -> str:
    match = re.search(r"(?:struct|this)\.(_?\w+)\)", value)
    if match:
        return match.group(1).lstrip("_")
    head, *rest = name.split("_")
    return head + "".join(p.capitalize() for p in rest)
