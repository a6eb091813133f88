"""The SageMaker inference toolkit's handler contract, run in this process.

Mirrors aws/sagemaker-inference-toolkit (src/sagemaker_inference/transformer.py,
default_inference_handler.py, decoder.py, encoder.py):
- the user module is SAGEMAKER_PROGRAM (default inference.py) in <model_dir>/code;
- `transform_fn` replaces input/predict/output and may not be combined with them (ValueError);
- missing `model_fn` and `predict_fn` raise "Please provide a ... implementation";
- the default `input_fn` decodes application/json, text/csv and application/x-npy to a numpy
  array, anything else is an unsupported format (HTTP 415); the default `output_fn` encodes the
  prediction the same way for the Accept type and returns (body, accept);
- a handler may take one extra trailing `context` argument;
- Accept missing or */* means SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT (default application/json);
  JSON and CSV request bodies reach input_fn as str, others as bytes.
"""

from __future__ import annotations

import importlib.util
import inspect
import io
import json
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

JSON, CSV, NPY = "application/json", "text/csv", "application/x-npy"
UTF8_TYPES = (JSON, CSV)
ANY = "*/*"


class UserCodeError(Exception):
    """The user's handler raised: carries the traceback of their frames only."""

    def __init__(self, where: str, exc: BaseException, code_dir: Path) -> None:
        frames = [
            # the model dir holds symlinks: name the user's own file, not the scratch copy
            traceback.FrameSummary(str(Path(f.filename).resolve()), f.lineno, f.name, line=f.line)
            for f in traceback.extract_tb(exc.__traceback__)
            if _inside(f.filename, code_dir)
        ]
        lines = traceback.format_list(frames) + traceback.format_exception_only(type(exc), exc)
        self.where = where
        self.report = (
            f"--- error in your inference code ({where}) ---\n"
            "Traceback (your code only):\n" + "".join(lines) + "--- end of your traceback ---\n"
        )
        super().__init__(f"{where}: {type(exc).__name__}: {exc}")


class UnsupportedFormat(Exception):
    status = 415

    def __init__(self, content_type: str) -> None:
        super().__init__(
            f"Content type {content_type} is not supported by the default handlers: "
            "implement input_fn to deserialize the request, or output_fn to serialize the response"
        )


def _inside(filename: str, folder: Path) -> bool:
    return Path(filename).absolute().is_relative_to(folder.absolute())


def _numpy() -> Any:
    try:
        import numpy
    except ImportError as exc:  # the toolkit's defaults are numpy-based
        raise RuntimeError("the toolkit's default input_fn/output_fn need numpy: pip install numpy") from exc
    return numpy


def default_model_fn(model_dir: str) -> Any:
    raise NotImplementedError("Please provide a model_fn implementation.")


def default_predict_fn(data: Any, model: Any) -> Any:
    raise NotImplementedError("Please provide a predict_fn implementation.")


def default_input_fn(input_data: Any, content_type: str) -> Any:
    np = _numpy()
    if content_type == JSON:
        return np.array(json.loads(input_data))
    if content_type == CSV:
        return np.genfromtxt(io.StringIO(input_data), delimiter=",")
    if content_type == NPY:
        return np.load(io.BytesIO(input_data), allow_pickle=False)
    raise UnsupportedFormat(content_type)


def default_output_fn(prediction: Any, accept: str) -> tuple[Any, str]:
    np = _numpy()
    if accept == JSON:
        return json.dumps(
            prediction, default=lambda v: v.tolist() if hasattr(v, "tolist") else str(v)
        ), accept
    if accept == CSV:
        stream = io.StringIO()
        np.savetxt(stream, prediction, delimiter=",", fmt="%s")
        return stream.getvalue(), accept
    if accept == NPY:
        buffer = io.BytesIO()
        np.save(buffer, prediction)
        return buffer.getvalue(), accept
    raise UnsupportedFormat(accept)


class Handler:
    """The user module's functions, the toolkit's defaults where it has none, and the loaded model."""

    def __init__(self, model_dir: Path, program: str | None = None) -> None:
        self.model_dir = model_dir
        self.code_dir = model_dir / "code"
        program = program or os.environ.get("SAGEMAKER_PROGRAM") or "inference.py"
        self.module_file = self.code_dir / program
        self.where = f"code/{program}"
        self.default_accept = os.environ.get("SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT", JSON)
        module = self._import()
        self.model_fn: Callable[..., Any] = getattr(module, "model_fn", default_model_fn)
        transform = getattr(module, "transform_fn", None)
        parts = [getattr(module, n, None) for n in ("input_fn", "predict_fn", "output_fn")]
        if transform and any(parts):
            raise ValueError(
                f"{self.where}: cannot use transform_fn together with input_fn, predict_fn or output_fn"
            )
        self.transform_fn = transform
        self.input_fn: Callable[..., Any] = parts[0] or default_input_fn
        self.predict_fn: Callable[..., Any] = parts[1] or default_predict_fn
        self.output_fn: Callable[..., Any] = parts[2] or default_output_fn
        self.model = self._call("model_fn", self.model_fn, str(model_dir))

    def _import(self) -> ModuleType:
        if not self.module_file.is_file():
            raise FileNotFoundError(f"{self.where} not found in the model directory")
        sys.path.insert(0, str(self.code_dir))  # the toolkit puts code/ on the path: helper modules import
        name = self.module_file.stem
        spec = importlib.util.spec_from_file_location(name, self.module_file)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as exc:
            raise UserCodeError(f"{self.where} (import)", exc, self.code_dir) from exc
        return module

    def _call(self, label: str, func: Callable[..., Any], *args: Any) -> Any:
        arity = len(inspect.signature(func).parameters)
        if arity == len(args) + 1:
            args = (*args, None)  # the toolkit passes a context; locally there is none
        elif arity != len(args):
            raise UserCodeError(
                f"{self.where} {label}",
                TypeError(f"{label} takes {arity} arguments but {len(args)} were given"),
                self.code_dir,
            )
        try:
            return func(*args)
        except UnsupportedFormat:
            raise
        except Exception as exc:
            if func in (default_model_fn, default_predict_fn):
                raise UserCodeError(f"{self.where} {label} (missing)", exc, self.code_dir) from exc
            raise UserCodeError(f"{self.where} {label}", exc, self.code_dir) from exc

    def invoke(self, body: bytes, content_type: str, accept: str | None) -> tuple[bytes, str]:
        accept = self.default_accept if not accept or accept == ANY else accept
        data: Any = body.decode("utf-8") if content_type in UTF8_TYPES else body
        if self.transform_fn is not None:
            result = self._call("transform_fn", self.transform_fn, self.model, data, content_type, accept)
        else:
            decoded = self._call("input_fn", self.input_fn, data, content_type)
            prediction = self._call("predict_fn", self.predict_fn, decoded, self.model)
            result = self._call("output_fn", self.output_fn, prediction, accept)
        response, response_type = (result[0], result[1]) if isinstance(result, tuple) else (result, accept)
        if isinstance(response, str):
            response = response.encode("utf-8")
        elif not isinstance(response, bytes | bytearray):
            response = str(response).encode("utf-8")
        return bytes(response), str(response_type)
