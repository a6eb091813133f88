"""Static lint of the repository's HCL: provider schemas, module interfaces and references, offline.

`terraform validate` needs the real providers from the registry, which is not reachable where the
tests run. This covers most of what it would catch, from the pinned provider schemas in
tests/fixtures/provider_schemas.json (tools/extract_provider_schemas.py): arguments and blocks of
every resource and data source, required ones, single blocks given twice, module calls against the
called module's variables, and references (var., local., module.M.O, resources, data sources).
What it cannot know: values (enums, ranges, ARN formats), expression types, and provider-side rules
such as ConflictsWith or ExactlyOneOf. Findings are strings `file:line: block: message`.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import hcl2
from hcl2.utils import SerializationOptions

from tests.helpers import tf_types

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / "tests" / "fixtures" / "provider_schemas.json"
EXPECTED_MODULES = ("execution-role", "artifact-bucket", "sagemaker-model", "endpoint", "inference-component")
MODULE_FILES = ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md")

Body = dict[str, Any]
Schema = dict[str, Any]

# Arguments Terraform itself handles on every resource / data source / module call.
RESOURCE_META = {"count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection"}
MODULE_META = {"source", "version", "count", "for_each", "depends_on", "providers"}
LIFECYCLE_KEYS = {
    "create_before_destroy",
    "prevent_destroy",
    "ignore_changes",
    "replace_triggered_by",
    "precondition",
    "postcondition",
}
# Reference roots that need no declaration.
BUILTIN_ROOTS = {"each", "count", "path", "terraform", "self"}
KEYWORDS = {"for", "in", "if", "true", "false", "null", "endfor", "endif", "else"}
_INTERNAL = ("__is_block__", "__comments__", "__inline_comments__")


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    block: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.block}: {self.message}"


@dataclass
class Block:
    kind: str  # resource, data, module, variable, output, locals, provider, terraform, ...
    labels: tuple[str, ...]
    body: Body
    file: str
    line: int

    @property
    def title(self) -> str:
        return " ".join([self.kind, *(f'"{label}"' for label in self.labels)])

    def finding(self, message: str) -> Finding:
        return Finding(self.file, self.line, self.title, message)


@dataclass
class Module:
    path: Path
    blocks: list[Block] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # parse errors
    locals: dict[str, Block] = field(default_factory=dict)

    def of_kind(self, kind: str) -> dict[tuple[str, ...], Block]:
        return {b.labels: b for b in self.blocks if b.kind == kind}

    @property
    def variables(self) -> dict[str, Block]:
        return {labels[0]: b for labels, b in self.of_kind("variable").items()}

    @property
    def outputs(self) -> dict[str, Block]:
        return {labels[0]: b for labels, b in self.of_kind("output").items()}


# --- loading -----------------------------------------------------------------------------------------


@cache
def load_schemas(path: Path = SCHEMAS) -> Schema:
    data: Schema = json.loads(path.read_text(encoding="utf-8"))
    return data


def unquote(value: Any) -> Any:
    """A python-hcl2 literal string `"\\"x\\""` -> `x`; anything else unchanged."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        inner = value[1:-1]
        if inner.startswith("<<"):  # heredoc: drop the marker lines
            lines = inner.split("\n")
            return "\n".join(line.strip() if inner.startswith("<<-") else line for line in lines[1:-1])
        return re.sub(r'\\(["\\n])', lambda m: "\n" if m.group(1) == "n" else m.group(1), inner)
    return value


def is_block(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and v.get("__is_block__") for v in value)
    )


def _labelled(node: Any, labels: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Body]]:
    """python-hcl2 nests labelled blocks as {'"label"': {..., '__is_block__': True}}."""
    if not isinstance(node, dict):
        return
    if node.get("__is_block__"):
        yield labels, node
        return
    for key, value in node.items():
        yield from _labelled(value, (*labels, unquote(key)))


def _line_of(text: str, kind: str, labels: tuple[str, ...], nth: int) -> int:
    header = r"\s+".join([re.escape(kind), *(f'"{re.escape(label)}"' for label in labels)])
    matches = list(re.finditer(rf"^\s*{header}\s*\{{", text, re.M))
    if not matches:
        return 1
    return text.count("\n", 0, matches[min(nth, len(matches) - 1)].start()) + 1


def load_module(path: Path, root: Path) -> Module:
    module = Module(path)
    for tf in sorted(path.glob("*.tf")):
        rel = tf.relative_to(root).as_posix()
        text = tf.read_text(encoding="utf-8")
        try:
            parsed = hcl2.loads(text, serialization_options=SerializationOptions(with_comments=False))
        except Exception as exc:  # python-hcl2 raises lark errors of several types
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            module.findings.append(Finding(rel, 1, "file", f"does not parse: {first}"))
            continue
        seen: dict[tuple[str, tuple[str, ...]], int] = {}
        for kind, entries in parsed.items():
            for entry in entries if isinstance(entries, list) else [entries]:
                for labels, body in _labelled(entry, ()):
                    nth = seen.get((kind, labels), 0)
                    seen[(kind, labels)] = nth + 1
                    block = Block(kind, labels, body, rel, _line_of(text, kind, labels, nth))
                    module.blocks.append(block)
                    if kind == "locals":
                        for name in body:
                            if name not in _INTERNAL:
                                line = re.search(rf"^\s*{re.escape(name)}\s*=", text, re.M)
                                at = text.count("\n", 0, line.start()) + 1 if line else block.line
                                module.locals[name] = Block("local", (name,), body, rel, at)
    return module


def module_dirs(root: Path) -> list[Path]:
    """The root module terraform/ and every modules/<name>/ that holds .tf files."""
    dirs = [root / "terraform"] if (root / "terraform").is_dir() else []
    dirs += (
        sorted(p for p in (root / "modules").glob("*") if p.is_dir()) if (root / "modules").is_dir() else []
    )
    return [d for d in dirs if any(d.glob("*.tf"))]


def variable_specs(module: Module) -> dict[str, tf_types.VariableSpec]:
    specs = {}
    for name, block in module.variables.items():
        nullable = block.body.get("nullable", True)
        specs[name] = tf_types.VariableSpec(
            name=name,
            type_expr=block.body.get("type"),
            has_default="default" in block.body,
            nullable=nullable is not False,
        )
    return specs


# --- expressions and references ----------------------------------------------------------------------


def code_of(text: str) -> str:
    """The code parts of a python-hcl2 expression string; literal text inside quotes becomes spaces.

    Quoted strings are templates: `${...}` and `%{...}` inside them are code again. Heredocs are
    serialised wrapped in quotes and may contain bare quotes, so they are read as one template.
    """
    out: list[str] = []
    modes: list[str] = ["code"]  # stack of "code" / "str" / "heredoc"
    depth: list[int] = [0]  # brace depth per code level
    heredoc = text.startswith('"<<')
    i = 0
    while i < len(text):
        ch, mode = text[i], modes[-1]
        if mode == "code":
            if ch == '"':
                modes.append("heredoc" if heredoc and i == 0 else "str")
                out.append(" ")
            else:
                if ch == "{":
                    depth[-1] += 1
                elif ch == "}":
                    if depth[-1] == 0 and len(modes) > 1:
                        modes.pop()
                        depth.pop()
                        out.append(" ")
                        i += 1
                        continue
                    depth[-1] -= 1
                out.append(ch)
        else:
            if ch == "\\" and mode == "str":
                out.append("  ")
                i += 2
                continue
            if text.startswith(("$${", "%%{"), i):
                out.append("   ")
                i += 3
                continue
            if text.startswith(("${", "%{"), i):
                modes.append("code")
                depth.append(0)
                out.append("  ")
                i += 2
                continue
            if ch == '"' and (mode == "str" or i == len(text) - 1):
                modes.pop()
            out.append(" " if ch != "\n" else "\n")
        i += 1
    return "".join(out)


_ROOT = re.compile(r"(?<![\w.\-])[A-Za-z_][\w-]*")
_NAME = re.compile(r"[A-Za-z_][\w-]*|\*")
_FOR_VARS = re.compile(r"\bfor\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\b")


def traversals(code: str) -> Iterator[list[str]]:
    """`module.m["k"].out` -> ['module', 'm', '[]', 'out']; function names and object keys are skipped."""
    for match in _ROOT.finditer(code):
        parts, pos = [match.group()], match.end()
        while pos < len(code):
            if code[pos] == ".":
                name = _NAME.match(code, pos + 1)
                if not name:
                    break
                parts.append(name.group() if name.group() != "*" else "[]")
                pos = name.end()
            elif code[pos] == "[":
                close = _matching_bracket(code, pos)
                parts.append("[]")
                pos = close + 1
            else:
                break
        rest = code[pos:].lstrip()
        if len(parts) == 1 and (
            rest.startswith("(")
            or rest.startswith("::")
            or (rest.startswith("=") and not rest.startswith(("==", "=>")))
        ):
            continue  # a function call, or an object key
        yield parts


def _matching_bracket(code: str, start: int) -> int:
    depth = 0
    for pos in range(start, len(code)):
        depth += code[pos] == "["
        depth -= code[pos] == "]"
        if depth == 0:
            return pos
    return len(code) - 1


def strings_in(value: Any, skip: frozenset[str] = frozenset()) -> Iterator[str]:
    """Every expression string inside a body value (recursively), skipping keys in `skip`."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item, skip)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in _INTERNAL or key in skip:
                continue
            if key.startswith("${"):  # a computed object key: `(var.x) = ...`
                yield key
            yield from strings_in(item, skip)


def block_iterators(body: Body) -> set[str]:
    """Names a dynamic block binds: its label, or its `iterator` argument."""
    names = set()
    for entry in body.get("dynamic", []):
        for label, dyn in entry.items():
            if label in _INTERNAL:
                continue
            names.add(str(unquote(dyn.get("iterator", label))).strip("${}"))
            for content in dyn.get("content", []):
                names |= block_iterators(content)
    for key, value in body.items():
        if key != "dynamic" and is_block(value):
            for item in value:
                names |= block_iterators(item)
    return names


# --- the checks --------------------------------------------------------------------------------------


def lint_tree(root: Path, schemas: Schema | None = None) -> list[Finding]:
    """Every finding for terraform/ and modules/*/ under `root` (the repository or a fixture tree)."""
    schemas = schemas or load_schemas()
    modules = {d.resolve(): load_module(d, root) for d in module_dirs(root)}
    findings: list[Finding] = []
    for module in modules.values():
        findings += module.findings
        findings += check_module(module, modules, schemas, root)
    findings += checkov_skips_without_reason(root)
    return sorted(set(findings))


def check_module(
    module: Module, modules: Mapping[Path, Module], schemas: Schema, root: Path
) -> list[Finding]:
    findings: list[Finding] = []
    findings += _check_duplicates(module)
    for block in module.blocks:
        if block.kind == "resource":
            findings += check_schema_block(block, schemas["resources"], module)
        elif block.kind == "data":
            findings += check_schema_block(block, schemas["data_sources"], module)
        elif block.kind == "provider":
            findings += _check_provider(block, schemas)
        elif block.kind == "module":
            findings += check_module_call(block, module, modules, root)
        elif block.kind == "variable":
            findings += _check_variable(block)
        elif block.kind == "output":
            if "value" not in block.body:
                findings.append(block.finding("missing required argument `value`"))
            if "description" not in block.body:
                findings.append(block.finding("no description (the README table needs one)"))
        findings += check_references(block, module, modules, schemas, root)
    findings += check_required_providers(module, schemas, root)
    return findings


def _check_duplicates(module: Module) -> list[Finding]:
    seen: dict[tuple[str, tuple[str, ...]], Block] = {}
    findings = []
    for block in module.blocks:
        key = (block.kind, block.labels)
        if block.kind in ("resource", "data", "module", "variable", "output") and key in seen:
            findings.append(block.finding(f"declared twice (first at {seen[key].file}:{seen[key].line})"))
        seen.setdefault(key, block)
    return findings


def _check_variable(block: Block) -> list[Finding]:
    findings = []
    if "description" not in block.body:
        findings.append(block.finding("no description (the README table needs one)"))
    if "type" not in block.body:
        findings.append(block.finding("no type (the contract wants strict types, never an implicit any)"))
    else:
        try:
            tf_types.parse_type(block.body["type"])
        except tf_types.TypeSyntaxError as exc:
            findings.append(block.finding(f"type does not parse: {exc}"))
    return findings


def _suggest(name: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f" (did you mean `{close[0]}`?)" if close else ""


def inline_locals(value: Any, module: Module, depth: int = 0) -> Any:
    """Replace `local.x` by its object/list literal: awscc nested attributes built in locals get checked."""
    if isinstance(value, str) and depth < 8:
        match = re.fullmatch(r"\$\{local\.([\w-]+)\}", value)
        if match and match.group(1) in module.locals:
            literal = module.locals[match.group(1)].body[match.group(1)]
            if isinstance(literal, dict | list):
                return inline_locals(literal, module, depth + 1)
    if isinstance(value, dict):
        return {k: inline_locals(v, module, depth) for k, v in value.items()}
    if isinstance(value, list):
        return [inline_locals(v, module, depth) for v in value]
    return value


def check_schema_block(block: Block, table: Mapping[str, Any], module: Module) -> list[Finding]:
    tf_type = block.labels[0]
    if tf_type not in table:
        kind = "resource" if block.kind == "resource" else "data source"
        return [
            block.finding(
                f"{kind} type `{tf_type}` is not in the provider schemas: a typo, or run "
                f"`make provider-schemas` to add it{_suggest(tf_type, table)}"
            )
        ]
    errors = check_body(inline_locals(block.body, module), table[tf_type]["block"], "", top=True)
    if "count" in block.body and "for_each" in block.body:
        errors.append("`count` and `for_each` cannot both be set")
    return [block.finding(message) for message in errors]


def _check_provider(block: Block, schemas: Schema) -> list[Finding]:
    name = block.labels[0]
    if name not in schemas["providers"]:
        return [block.finding(f"provider `{name}` is not in the provider schemas")]
    return [block.finding(m) for m in check_body(block.body, schemas["providers"][name], "", top=False)]


def check_body(body: Body, schema: Schema, path: str, *, top: bool) -> list[str]:
    """Arguments and nested blocks of one block body against its schema; messages carry the path."""
    errors: list[str] = []
    attributes, blocks = schema["attributes"], schema.get("blocks", {})
    where = f"{path}: " if path else ""
    present: dict[str, int] = {}
    dynamic: set[str] = set()
    for key, value in body.items():
        if key in _INTERNAL:
            continue
        if top and key in RESOURCE_META:
            if key == "lifecycle" and is_block(value):
                errors += [
                    f"lifecycle: unknown argument `{k}`"
                    for item in value
                    for k in item
                    if k not in LIFECYCLE_KEYS and k not in _INTERNAL
                ]
            continue
        if key == "dynamic" and is_block_list_of_labelled(value):
            for label, dyn in _dynamic_blocks(value):
                dynamic.add(label)
                errors += _check_dynamic(label, dyn, blocks, attributes, _join(path, label))
            continue
        if key in blocks:
            if not is_block(value):
                errors.append(
                    f"{where}`{key}` is a block: write `{key} {{ ... }}` or a dynamic block, not `=`"
                )
                continue
            present[key] = len(value)
            spec = blocks[key]
            if spec["max_items"] is not None and len(value) > spec["max_items"]:
                errors.append(f"{where}`{key}` given {len(value)} times, at most {spec['max_items']} allowed")
            for i, item in enumerate(value):
                sub = _join(path, key if len(value) == 1 else f"{key}[{i}]")
                errors += check_body(item, spec["block"], sub, top=False)
        elif key in attributes:
            errors += _check_attribute(key, value, attributes[key], path)
        else:
            errors.append(
                f"{where}unknown argument or block `{key}`{_suggest(key, set(attributes) | set(blocks))}"
            )
    for name, attr in attributes.items():
        if attr["required"] and name not in body:
            errors.append(f"{where}missing required argument `{name}`")
    for name, spec in blocks.items():
        if spec["min_items"] > present.get(name, 0) and name not in dynamic:
            errors.append(f"{where}missing required block `{name}`")
    return errors


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def is_block_list_of_labelled(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


def _dynamic_blocks(value: list[Body]) -> Iterator[tuple[str, Body]]:
    for entry in value:
        for label, dyn in _labelled(entry, ()):
            yield (label[0] if label else "?"), dyn


def _check_dynamic(label: str, dyn: Body, blocks: Schema, attributes: Schema, path: str) -> list[str]:
    if label not in blocks:
        hint = " (it is an argument: assign it with `=`)" if label in attributes else _suggest(label, blocks)
        return [f"{path}: dynamic block for unknown block type `{label}`{hint}"]
    errors = [f"{path}: dynamic block without `for_each`"] if "for_each" not in dyn else []
    errors += [
        f"{path}: dynamic block: unknown argument `{k}`"
        for k in dyn
        if k not in ("for_each", "iterator", "labels", "content", *_INTERNAL)
    ]
    contents = dyn.get("content", [])
    if not is_block(contents) or len(contents) != 1:
        return [*errors, f"{path}: dynamic block needs exactly one `content` block"]
    return errors + check_body(contents[0], blocks[label]["block"], path, top=False)


def _check_attribute(key: str, value: Any, attr: Schema, path: str) -> list[str]:
    where = f"{path}: " if path else ""
    if attr.get("computed") and not attr["optional"]:
        return [f"{where}`{key}` is read-only (computed by the provider)"]
    if is_block(value):
        return [f"{where}`{key}` is an argument, not a block: write `{key} = ...`"]
    nested = attr.get("nested")
    if nested is None:
        return []
    # awscc nested attributes: check object literals key by key, like blocks.
    is_list = attr["type"].startswith(("list(", "set("))
    if isinstance(value, dict) and is_list:
        return [f"{where}`{key}` is a list of objects: write `{key} = [{{ ... }}]`"]
    if isinstance(value, list) and not is_list:
        return [f"{where}`{key}` is an object: write `{key} = {{ ... }}`"]
    items = value if isinstance(value, list) else [value]
    errors = []
    for i, item in enumerate(items):
        if isinstance(item, dict):
            sub = _join(path, key if not isinstance(value, list) else f"{key}[{i}]")
            errors += check_body(item, nested, sub, top=False)
    return errors


def check_module_call(
    block: Block, module: Module, modules: Mapping[Path, Module], root: Path
) -> list[Finding]:
    source = unquote(block.body.get("source", ""))
    if not isinstance(source, str) or not source:
        return [block.finding("module call without a literal `source`")]
    if not source.startswith(("./", "../")):
        return [block.finding(f"source `{source}` is not a local path: it cannot be checked offline")]
    target_dir = (module.path / source).resolve()
    target = modules.get(target_dir)
    if target is None:
        if not target_dir.is_dir() or not any(target_dir.glob("*.tf")):
            return [block.finding(f"source `{source}` has no .tf files")]
        target = load_module(target_dir, root)
    findings = []
    declared = target.variables
    for key in block.body:
        if key in _INTERNAL or key in MODULE_META:
            continue
        if key not in declared:
            findings.append(
                block.finding(f"passes `{key}`, which {source} does not declare{_suggest(key, declared)}")
            )
            continue
        passed = traversal_type(block.body[key], block, module)
        wanted = variable_type(target, key)
        if passed is not None and wanted is not None:
            findings += [
                block.finding(f"`{key}`: {problem}") for problem in type_mismatches(passed, wanted, key)
            ]
    for name, var in declared.items():
        if "default" not in var.body and name not in block.body:
            findings.append(block.finding(f"does not pass `{name}`, which {source} requires (no default)"))
    return findings


def _target_module(call: Block, module: Module, modules: Mapping[Path, Module], root: Path) -> Module | None:
    source = unquote(call.body.get("source", ""))
    if not isinstance(source, str) or not source.startswith(("./", "../")):
        return None
    target_dir = (module.path / source).resolve()
    if target_dir in modules:
        return modules[target_dir]
    return load_module(target_dir, root) if target_dir.is_dir() else None


def check_references(
    block: Block, module: Module, modules: Mapping[Path, Module], schemas: Schema, root: Path
) -> list[Finding]:
    if block.kind in ("terraform", "moved", "import", "removed"):
        return []
    # Provider references (`provider = aws.west`) and variable types are not values.
    skip = frozenset({"type"} if block.kind == "variable" else {"provider", "providers"})
    body = block.body
    iterators = block_iterators(body)
    codes = [code_of(s) for s in strings_in(_without_ignore_changes(body), skip)]
    for code in codes:
        for match in _FOR_VARS.finditer(code):
            iterators |= {name for name in match.groups() if name}
    findings: list[Finding] = []
    reported: set[str] = set()
    for code in codes:
        for parts in traversals(code):
            message = _resolve(parts, block, module, modules, schemas, root, iterators)
            if message and message not in reported:
                reported.add(message)
                findings.append(block.finding(message))
    return findings


def _without_ignore_changes(body: Body) -> Body:
    """ignore_changes lists attribute names, not references."""
    if "lifecycle" not in body:
        return body
    lifecycle = [{k: v for k, v in item.items() if k != "ignore_changes"} for item in body["lifecycle"]]
    return {**body, "lifecycle": lifecycle}


def _resolve(
    parts: list[str],
    block: Block,
    module: Module,
    modules: Mapping[Path, Module],
    schemas: Schema,
    root: Path,
    iterators: set[str],
) -> str | None:
    head = parts[0]
    if head in KEYWORDS or head in iterators or len(parts) == 1:
        return None
    name = parts[1]
    if head in BUILTIN_ROOTS:
        return _check_meta_use(parts, block, module)
    if head == "var":
        if name not in module.variables:
            return f"`var.{name}` is not declared{_suggest(name, module.variables)}"
        missing = unknown_attribute(variable_type(module, name), parts[2:])
        return (
            f"`{_ref_text(parts)}`: the type of var.{name} has no attribute `{missing}`" if missing else None
        )
    if head == "local":
        return (
            None if name in module.locals else f"`local.{name}` is not defined{_suggest(name, module.locals)}"
        )
    if head == "module":
        calls = {labels[0]: b for labels, b in module.of_kind("module").items()}
        if name not in calls:
            return f"`module.{name}` is not declared in this module{_suggest(name, calls)}"
        output = next((p for p in parts[2:] if p != "[]"), None)
        target = _target_module(calls[name], module, modules, root)
        if output and target is not None and output not in target.outputs:
            hint = _suggest(output, target.outputs)
            return f"`module.{name}.{output}`: the module has no output `{output}`{hint}"
        return None
    if head == "data":
        if len(parts) < 3:
            return None
        declared = module.of_kind("data")
        if (name, parts[2]) not in declared:
            return f"`data.{name}.{parts[2]}` is not declared in this module"
        return _check_attribute_ref(f"data.{name}.{parts[2]}", parts[3:], schemas["data_sources"].get(name))
    if re.fullmatch(r"[a-z][a-z0-9]*_[a-z0-9_]+", head):
        if (head, name) not in module.of_kind("resource"):
            return f"`{head}.{name}` is not declared in this module"
        return _check_attribute_ref(f"{head}.{name}", parts[2:], schemas["resources"].get(head))
    return f"unknown reference `{'.'.join(p for p in parts[:2])}`"


def _check_meta_use(parts: list[str], block: Block, module: Module) -> str | None:
    """each.* needs for_each and count.* needs count on the same block (dynamic blocks bind their own).

    With `for_each = var.x`, each.value has the element type of var.x: its attributes are checked.
    """
    head, name = parts[0], parts[1]
    if head in ("each", "count") and block.kind in ("resource", "data", "module"):
        meta = "for_each" if head == "each" else "count"
        if meta not in block.body:
            return f"uses `{head}` but has no `{meta}`"
    if head == "each" and name not in ("key", "value"):
        return f"`each.{name}`: each has only `key` and `value`"
    if head == "count" and name != "index":
        return f"`count.{name}`: count has only `index`"
    source = re.fullmatch(r"\$\{var\.([\w-]+)\}", str(block.body.get("for_each", "")))
    if head == "each" and name == "value" and source:
        collection = variable_type(module, source.group(1))
        element = collection.elem if collection is not None else None
        missing = unknown_attribute(element, parts[2:])
        where = f"var.{source.group(1)}"
        return (
            f"`{_ref_text(parts)}`: the elements of {where} have no attribute `{missing}`"
            if missing
            else None
        )
    return None


def traversal_type(value: Any, block: Block, module: Module) -> tf_types.TfType | None:
    """The declared type of a bare `var.x.y` or `each.value.y` (for_each = var.x); None for anything else."""
    match = (
        re.fullmatch(r"\$\{(var|each)\.([\w-]+)((?:\.[\w-]+)*)\}", value) if isinstance(value, str) else None
    )
    if match is None:
        return None
    kind, name, rest = match.group(1), match.group(2), [p for p in match.group(3).split(".") if p]
    if kind == "var":
        tftype = variable_type(module, name)
    else:
        source = re.fullmatch(r"\$\{var\.([\w-]+)\}", str(block.body.get("for_each", "")))
        collection = variable_type(module, source.group(1)) if source and name == "value" else None
        tftype = collection.elem if collection is not None else None
    for part in rest:
        if tftype is None or tftype.kind != "object" or part not in tftype.attrs:
            return None
        tftype = tftype.attrs[part].type
    return tftype


def type_mismatches(passed: tf_types.TfType, wanted: tf_types.TfType, path: str) -> list[str]:
    """Structural differences that Terraform would reject, or worse, convert silently.

    An object attribute the module's type lacks is dropped without a word, so it is reported too.
    """
    if "any" in (passed.kind, wanted.kind):
        return []
    if passed.kind != wanted.kind and {passed.kind, wanted.kind} != {"list", "set"}:
        return [f"{path} is {passed} here but {wanted} in the module"]
    if passed.elem is not None and wanted.elem is not None:
        return type_mismatches(passed.elem, wanted.elem, f"{path}[*]")
    if passed.kind != "object":
        return []
    problems = [
        f"{path}.{name} is dropped: the module's type has no such attribute"
        for name in passed.attrs
        if name not in wanted.attrs
    ]
    for name, attr in wanted.attrs.items():
        if name not in passed.attrs:
            if not attr.optional:
                problems.append(f"{path}.{name} is required by the module but not in the passed type")
            continue
        problems += type_mismatches(passed.attrs[name].type, attr.type, f"{path}.{name}")
    return problems


def _ref_text(parts: list[str]) -> str:
    return "".join("[…]" if p == "[]" else (p if i == 0 else f".{p}") for i, p in enumerate(parts))


def variable_type(module: Module, name: str) -> tf_types.TfType | None:
    block = module.variables.get(name)
    expr = block.body.get("type") if block else None
    try:
        return tf_types.parse_type(expr) if isinstance(expr, str) else None
    except tf_types.TypeSyntaxError:
        return None


def unknown_attribute(tftype: tf_types.TfType | None, parts: list[str]) -> str | None:
    """The first name in a traversal (`a.b`, `[]` for an index) that the type does not have."""
    for part in parts:
        if tftype is None or tftype.kind == "any":
            return None
        if tftype.kind == "object":
            if part == "[]":
                return None  # a splat of an object: the value is wrapped in a list, stop here
            if part not in tftype.attrs:
                return part
            tftype = tftype.attrs[part].type
        elif tftype.kind in ("map", "list", "set"):
            tftype = tftype.elem  # an index, or a map key read as `.key`
        else:
            return None
    return None


def _check_attribute_ref(ref: str, rest: list[str], schema: Schema | None) -> str | None:
    attr = next((p for p in rest if p != "[]"), None)
    if schema is None or attr is None:
        return None
    known = set(schema["block"]["attributes"]) | set(schema["block"].get("blocks", {}))
    return None if attr in known else f"`{ref}` has no attribute `{attr}`{_suggest(attr, known)}"


# --- providers ---------------------------------------------------------------------------------------


def check_required_providers(module: Module, schemas: Schema, root: Path) -> list[Finding]:
    """Each provider a module uses is declared, and its constraint admits the schema's version."""
    used = {b.labels[0].split("_", 1)[0] for b in module.blocks if b.kind in ("resource", "data")}
    terraform = [b for b in module.blocks if b.kind == "terraform"]
    required: dict[str, Body] = {}
    for block in terraform:
        for item in block.body.get("required_providers", []):
            required.update({k: v for k, v in item.items() if k not in _INTERNAL and isinstance(v, dict)})
    rel = module.path.resolve().relative_to(root.resolve()).as_posix()
    where = terraform[0] if terraform else Block("terraform", (), {}, f"{rel}/versions.tf", 1)
    findings = []
    if rel == "terraform" and not any("required_version" in b.body for b in terraform):
        findings.append(where.finding("no `required_version` (the contract says Terraform >= 1.5)"))
    for name in sorted(used):
        if name not in required:
            findings.append(where.finding(f"provider `{name}` is used but not in required_providers"))
            continue
        source = unquote(required[name].get("source", ""))
        constraint = unquote(required[name].get("version", ""))
        pinned = schemas["sources"].get(name, {})
        if source != pinned.get("provider_source", source):
            findings.append(
                where.finding(
                    f"required_providers.{name}.source is `{source}`, "
                    f"the schemas are for `{pinned['provider_source']}`"
                )
            )
        if not constraint:
            findings.append(where.finding(f"required_providers.{name} has no version constraint"))
        elif pinned and not version_allows(constraint, pinned["provider_version"]):
            findings.append(
                where.finding(
                    f"required_providers.{name}.version `{constraint}` excludes "
                    f"{pinned['provider_version']}, the version the schemas come from"
                )
            )
    return findings


def _vtuple(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", text.split("-")[0]))


def version_allows(constraint: str, version: str) -> bool:
    """Terraform version constraint syntax: `>= 6.21, < 7.0`, `~> 6.21`, `= 1.2.3`."""
    have = _vtuple(version)
    for part in constraint.split(","):
        match = re.fullmatch(r"\s*(>=|<=|!=|~>|>|<|=)?\s*v?([\d.]+)\s*", part)
        if not match:
            return False
        op, want_text = match.group(1) or "=", match.group(2)
        want = _vtuple(want_text)
        size = max(len(want), len(have), 3)
        a, b = have + (0,) * (size - len(have)), want + (0,) * (size - len(want))
        if op == "~>":
            upper = (*want[:-2], want[-2] + 1) if len(want) >= 2 else (want[0] + 1,)
            upper_full = upper + (0,) * (size - len(upper))
            ok = a >= b and a < upper_full
        else:
            ok = {"=": a == b, "!=": a != b, ">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b}[op]
        if not ok:
            return False
    return True


# --- checkov skips -----------------------------------------------------------------------------------

_SKIP = re.compile(r"checkov:skip=([A-Z0-9_]+)(?::([^\n]*))?")


def checkov_skips_without_reason(root: Path) -> list[Finding]:
    """`#checkov:skip=CKV_X:reason`: a skip without a written reason hides a risk nobody justified."""
    findings = []
    for folder in module_dirs(root):
        for tf in sorted(folder.glob("*.tf")):
            text = tf.read_text(encoding="utf-8")
            for match in _SKIP.finditer(text):
                reason = (match.group(2) or "").strip()
                if len(reason) < 10:
                    line = text.count("\n", 0, match.start()) + 1
                    findings.append(
                        Finding(
                            tf.relative_to(root).as_posix(),
                            line,
                            f"checkov:skip={match.group(1)}",
                            "a checkov skip needs a written reason (`:why`, 10+ characters)",
                        )
                    )
    return findings
