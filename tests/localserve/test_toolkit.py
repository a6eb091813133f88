"""The handler contract over real HTTP on a free loopback port (the server is stopped by each test)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from sagespec.localserve.run import loaded
from sagespec.localserve.server import LocalServer
from sagespec.localserve.toolkit import UserCodeError
from tests.localserve.conftest import INFERENCE, write_code


@pytest.fixture
def serve(repo: Path) -> Iterator[str]:
    with loaded(repo, "echo", None, False) as (handler, _):
        server = LocalServer(handler, 0, log=open("/dev/null", "w"))  # noqa: SIM115
        server.start()
        try:
            yield f"http://127.0.0.1:{server.port}"
        finally:
            server.shutdown()
            server.server_close()


def _post(
    url: str, body: bytes, content_type: str = "application/json", accept: str = "*/*"
) -> tuple[int, str, str]:
    request = urllib.request.Request(
        url + "/invocations",
        data=body,
        headers={"Content-Type": content_type, "Accept": accept},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, reply.headers.get("Content-Type"), reply.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type"), exc.read().decode()


def test_ping_and_invocations(serve: str) -> None:
    with urllib.request.urlopen(serve + "/ping", timeout=10) as reply:
        assert reply.status == 200
    status, kind, body = _post(serve, b'{"inputs": "world"}')
    assert (status, kind) == (200, "application/json")
    # GREETING from the spec's environment, vocab.txt from the weights at the model dir's top
    assert json.loads(body) == {"generated_text": "hello world (3 words in vocab)"}


def test_user_error_shows_only_their_traceback(repo: Path) -> None:
    write_code(
        repo, INFERENCE.replace("return f\"{model['greeting']}", "return 1 / 0 or f\"{model['greeting']}")
    )
    with loaded(repo, "echo", None, False) as (handler, _):
        server = LocalServer(handler, 0, log=open("/dev/null", "w"))  # noqa: SIM115
        server.start()
        try:
            status, _, body = _post(f"http://127.0.0.1:{server.port}", b'{"inputs": "x"}')
        finally:
            server.shutdown()
            server.server_close()
    assert status == 500
    assert "--- error in your inference code (code/inference.py predict_fn) ---" in body
    assert "inference.py" in body and "1 / 0" in body and "ZeroDivisionError: division by zero" in body
    assert "toolkit.py" not in body and "sagespec" not in body  # none of our frames


def test_defaults_decode_json_to_an_array_and_encode_the_answer(repo: Path) -> None:
    write_code(
        repo,
        "def model_fn(model_dir):\n    return 2\n\n\ndef predict_fn(data, model):\n    return data * model\n",
    )
    with loaded(repo, "echo", None, False) as (handler, _):
        assert handler.invoke(b"[1, 2, 3]", "application/json", None) == (b"[2, 4, 6]", "application/json")
        assert handler.invoke(b"1,2\n3,4\n", "text/csv", "text/csv")[0].decode().split() == [
            "2.0,4.0",
            "6.0,8.0",
        ]


def test_default_input_fn_refuses_other_content_types(repo: Path) -> None:
    write_code(
        repo, "def model_fn(model_dir):\n    return 1\n\n\ndef predict_fn(data, model):\n    return data\n"
    )
    with loaded(repo, "echo", None, False) as (handler, _):
        server = LocalServer(handler, 0, log=open("/dev/null", "w"))  # noqa: SIM115
        server.start()
        try:
            status, _, body = _post(f"http://127.0.0.1:{server.port}", b"hi", "text/plain")
        finally:
            server.shutdown()
            server.server_close()
    assert status == 415 and "text/plain is not supported" in body


def test_missing_predict_fn_says_so(repo: Path) -> None:
    write_code(repo, "def model_fn(model_dir):\n    return 1\n")
    with loaded(repo, "echo", None, False) as (handler, _), pytest.raises(UserCodeError) as caught:
        handler.invoke(b"[1]", "application/json", None)
    assert "Please provide a predict_fn implementation" in caught.value.report
    assert "(missing)" in caught.value.where


def test_missing_model_fn_fails_at_load(repo: Path) -> None:
    write_code(repo, "def predict_fn(data, model):\n    return data\n")
    with pytest.raises(UserCodeError, match="model_fn") as caught, loaded(repo, "echo", None, False):
        pass
    assert "Please provide a model_fn implementation" in caught.value.report


def test_transform_fn_cannot_be_mixed_with_input_fn(repo: Path) -> None:
    write_code(repo, "def transform_fn(m, d, c, a):\n    return d\n\n\ndef input_fn(b, c):\n    return b\n")
    with (
        pytest.raises(ValueError, match="cannot use transform_fn together"),
        loaded(repo, "echo", None, False),
    ):
        pass


def test_transform_fn_and_context_argument(repo: Path) -> None:
    write_code(
        repo,
        "def model_fn(model_dir, context):\n    return context\n\n\n"
        "def transform_fn(model, data, content_type, accept):\n    return data.upper(), 'text/plain'\n",
    )
    with loaded(repo, "echo", None, False) as (handler, _):
        assert handler.model is None  # the toolkit passes a context; locally there is none
        assert handler.invoke(b'"abc"', "application/json", None) == (b'"ABC"', "text/plain")


def test_import_error_is_theirs(repo: Path) -> None:
    write_code(repo, "import json\nraise RuntimeError('bad import')\n")
    with pytest.raises(UserCodeError) as caught, loaded(repo, "echo", None, False):
        pass
    assert "(import)" in caught.value.report and "RuntimeError: bad import" in caught.value.report


def test_a_model_without_code_cannot_be_served(repo: Path) -> None:
    from sagespec.errors import SagespecError

    with pytest.raises(SagespecError, match="has no `code` folder"), loaded(repo, "chat", None, False):
        pass
