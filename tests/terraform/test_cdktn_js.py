"""tools/cdktn_js.py on a small module written the way cdktn generates them, so the reader is tested
where neither the wheels nor the reference dumps are at hand (they are in test_provider_schemas.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tools_cdktn_js", REPO / "tools" / "cdktn_js.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


cdktn_js = _load()


def _hcl(name: str, value: str, block: bool, kind: str, storage: str) -> str:
    return (
        f"            {name}: {{\n                value: {value},\n"
        f'                isBlock: {"true" if block else "false"},\n                type: "{kind}",\n'
        f'                storageClassType: "{storage}",\n            }},\n'
    )


MODULE = (
    "function thingConfigToHclTerraform(struct) {\n"
    "    const attrs = {\n"
    + _hcl("size", "cdktn.numberToHclTerraform(struct.size)", False, "simple", "number")
    + "    };\n}\n"
    "class ThingConfigOutputReference extends cdktn.ComplexObject {\n"
    "    // size - computed: false, optional: false, required: true\n"
    "    _size;\n    get size() {\n        return this.getNumberAttribute('size');\n    }\n"
    "    // status - computed: true, optional: false, required: false\n"
    "    get status() {\n        return this.getStringAttribute('status');\n    }\n"
    "}\n"
    "function thingRuleToHclTerraform(struct) {\n"
    "    const attrs = {\n"
    + _hcl("id", "cdktn.stringToHclTerraform(struct.id)", False, "simple", "string")
    + "    };\n}\n"
    "class ThingRuleOutputReference extends cdktn.ComplexObject {\n"
    "    // id - computed: true, optional: true, required: false\n"
    "    _id;\n    get id() {\n        return this.getStringAttribute('id');\n    }\n"
    "}\n"
    "class ThingRuleList extends cdktn.ComplexList {\n}\n"
    "class ThingReadOnlyOutputReference extends cdktn.ComplexObject {\n"
    "    // when - computed: true, optional: false, required: false\n"
    "    get when() {\n        return this.getStringAttribute('when');\n    }\n"
    "}\n"
    "class ThingReadOnlyList extends cdktn.ComplexList {\n}\n"
    "class Thing extends cdktn.TerraformResource {\n"
    '    static tfResourceType = "aws_thing";\n'
    "    // arn - computed: true, optional: false, required: false\n"
    "    get arn() {\n        return this.getStringAttribute('arn');\n    }\n"
    "    // labels - computed: false, optional: true, required: false\n"
    "    _labels;\n    get labels() {\n"
    "        return cdktn.Fn.tolist(this.getListAttribute('labels'));\n    }\n"
    "    // name - computed: true, optional: true, required: false\n"
    "    _name;\n    get name() {\n        return this.getStringAttribute('name');\n    }\n"
    "    // read_only - computed: true, optional: false, required: false\n"
    '    _readOnly = new ThingReadOnlyList(this, "read_only", false);\n'
    "    get readOnly() {\n        return this._readOnly;\n    }\n"
    "    // config - computed: false, optional: false, required: true\n"
    '    _config = new ThingConfigOutputReference(this, "config");\n'
    "    get config() {\n        return this._config;\n    }\n"
    "    // rule - computed: false, optional: true, required: false\n"
    '    _rule = new ThingRuleList(this, "rule", true);\n'
    "    get rule() {\n        return this._rule;\n    }\n"
    "    synthesizeHclAttributes() {\n"
    "        const attrs = {\n"
    + _hcl(
        "labels",
        "cdktn.listMapperHcl(cdktn.stringToHclTerraform, false)(this._labels)",
        False,
        "set",
        "stringList",
    )
    + _hcl("name", "cdktn.stringToHclTerraform(this._name)", False, "simple", "string")
    + _hcl("config", "thingConfigToHclTerraform(this._config.internalValue)", True, "list", "ThingConfigList")
    + _hcl(
        "rule",
        "cdktn.listMapperHcl(thingRuleToHclTerraform, true)(this._rule.internalValue)",
        True,
        "set",
        "ThingRuleList",
    )
    + "        };\n    }\n}\n"
)


def test_a_generated_module_reads_as_terraforms_schema() -> None:
    module = cdktn_js.parse_module(MODULE)
    assert module.resource_type == "aws_thing"
    block = cdktn_js.BlockBuilder(module, nested_attributes=False).top()
    assert block["attributes"] == {
        "arn": {"computed": True, "type": "string"},
        "labels": {"optional": True, "type": ["set", "string"]},
        "name": {"computed": True, "optional": True, "type": "string"},
        "read_only": {"computed": True, "type": ["list", ["object", {"when": "string"}]]},
    }
    assert block["block_types"]["config"] == {
        "block": {
            "attributes": {
                "size": {"required": True, "type": "number"},
                "status": {"computed": True, "type": "string"},
            }
        },
        "max_items": 1,
        "min_items": 1,
        "nesting_mode": "list",
    }
    assert block["block_types"]["rule"] == {
        "block": {"attributes": {"id": {"computed": True, "optional": True, "type": "string"}}},
        "nesting_mode": "set",
    }


def test_nested_objects_become_nested_attributes_for_awscc() -> None:
    block = cdktn_js.BlockBuilder(cdktn_js.parse_module(MODULE), nested_attributes=True).top()
    assert "block_types" not in block
    assert block["attributes"]["rule"]["nested_type"]["nesting_mode"] == "set"
    assert block["attributes"]["read_only"]["nested_type"]["nesting_mode"] == "list"


def test_an_unknown_shape_is_an_error_not_a_guess() -> None:
    with pytest.raises(cdktn_js.SchemaSourceError, match="no resource, data source or provider class"):
        cdktn_js.parse_module("function x() {\n}\n")
    odd = MODULE.replace("this.getStringAttribute('arn')", "this.somethingNew('arn')")
    with pytest.raises(cdktn_js.SchemaSourceError, match=r"aws_thing\.arn: cannot tell the type"):
        cdktn_js.BlockBuilder(cdktn_js.parse_module(odd), nested_attributes=False).top()
