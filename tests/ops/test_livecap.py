"""sagespec review --live: moto for endpoints, Stubber (real API shapes) for inference components."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from sagespec.ops import livecap
from tests.helpers.rendered import config_name, model_name
from tests.helpers.repo import REPO
from tests.ops.conftest import make_model
from tests.ops.test_verify import component_reply
from tests.review.scratch import bigger_change, init, review

POOL = {"name": "pool-dev", "type": "pool", "config_name": "pool-dev-1", "initial_instance_count": 1}
IC = {"name": "embedder-dev", "copies": 2, "autoscaling": None}
SCALED = {"min_capacity": 1, "max_capacity": 4}


def test_endpoint_after_the_change() -> None:
    assert livecap.endpoint_after(POOL, POOL) == (None, "unchanged")
    new_config = {**POOL, "config_name": "pool-dev-2", "initial_instance_count": 2}
    assert livecap.endpoint_after(POOL, new_config)[0] == 2
    assert livecap.endpoint_after(POOL, None) == (0, "removed")


def test_component_after_the_change() -> None:
    both = ({**IC, "autoscaling": SCALED}, {**IC, "copies": 1, "autoscaling": SCALED})
    assert livecap.component_after(*both) == (None, "autoscaler keeps its count within the new bounds")
    assert livecap.component_after(IC, {**IC, "autoscaling": SCALED}) == (
        None,
        "autoscaler keeps its count within the new bounds",
    )
    # autoscaling off: the scalable target is pinned at the rendered copies
    assert livecap.component_after({**IC, "autoscaling": SCALED}, IC) == (
        2,
        "scalable target pinned at the rendered copies",
    )
    assert livecap.component_after(IC, {**IC, "copies": 3}) == (
        3,
        "scalable target pinned at the rendered copies",
    )


def test_component_drop_is_warned() -> None:
    sm = boto3.client("sagemaker", region_name="us-east-1")
    stub = Stubber(sm)
    stub.add_response("describe_inference_component", component_reply(current=4, desired=4))
    stub.activate()
    base = {"inference_components": {"embedder": {**IC, "autoscaling": SCALED}}, "endpoints": {}}
    head = {"inference_components": {"embedder": IC}, "endpoints": {}}
    [row] = livecap.env_capacity(sm, "dev", base, head)
    assert (row.serving, row.after, row.drops) == (4, 2, True)
    blocks = livecap.markdown_blocks([row], [])
    assert (
        "> - **dev** · `embedder-dev`: 4 → 2 copies (scalable target pinned at the rendered copies)"
        in blocks[0]
    )
    assert "| dev | `embedder-dev` | 4 copies | 2 copies |" in blocks[1]


def test_no_credentials_skips_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(livecap, "has_credentials", lambda: False)
    rows, notes = livecap.collect({}, {"dev": {}})
    assert rows == [] and "no AWS credentials" in notes[0]


def test_review_live_warns_when_the_update_drops_serving_instances(
    repo_copy: Path, sm: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """gpt-neo-125m (dev) serves 2 instances; the change moves it to a new config that starts at 1."""
    scratch = init(repo_copy)
    # moto has no inference components (covered with Stubber above): here none is deployed
    monkeypatch.setattr(livecap.components, "describe_component", lambda sm, name: None)
    model, config = model_name("dev", "gpt-neo-125m", REPO), config_name("dev", "gpt-neo-125m", REPO)
    make_model(sm, model, "dev")
    # the rendered config (1 instance) runs with 2: moto has no scaling, so a 2-instance config stands in
    variant = {
        "VariantName": "AllTraffic",
        "ModelName": model,
        "InitialInstanceCount": 2,
        "InstanceType": "ml.m5.large",
    }
    sm.create_endpoint_config(EndpointConfigName=config, ProductionVariants=[variant])
    sm.create_endpoint(EndpointName="gpt-neo-125m-dev", EndpointConfigName=config)
    bigger_change(scratch)
    code, out, err = review(scratch, capsys, "--base", "main", "--live")
    assert code == 0, err
    assert "> **Capacity drops below what is serving now**" in out
    assert (
        "> - **dev** · `gpt-neo-125m-dev`: 2 → 1 instances (new endpoint config starts at its "
        "initial_instance_count)" in out
    )
    assert "### Live capacity" in out
    _, without, _ = review(scratch, capsys, "--base", "main")
    assert "Live capacity" not in without
