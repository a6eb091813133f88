"""`sagespec smoke MODEL --local` and `sagespec serve MODEL` as a user runs them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

from tests.helpers.repo import run_cli
from tests.localserve.conftest import INFERENCE, write_code


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_smoke_local_passes_and_fails_on_expect(repo: Path) -> None:
    code, out, err = run_cli("--root", str(repo), "smoke", "echo", "--local")
    assert code == 0, err
    assert "ok (expect matched)" in out
    code, out, _ = run_cli(
        "--root", str(repo), "smoke", "echo", "--local", "--payload", '{"inputs": "other"}'
    )
    assert code == 1 and "FAILED" in out


def test_smoke_local_reports_the_users_traceback(repo: Path) -> None:
    write_code(
        repo,
        INFERENCE.replace("def predict_fn(data, model):\n", "def predict_fn(data, model):\n    {}['x']\n"),
    )
    code, out, _ = run_cli("--root", str(repo), "smoke", "echo", "--local")
    assert code == 1
    assert "FAILED: HTTP 500" in out and "error in your inference code" in out and "KeyError: 'x'" in out


def test_smoke_without_env_or_local_is_a_usage_error(repo: Path) -> None:
    code, _, err = run_cli("--root", str(repo), "smoke", "echo")
    assert code == 2 and "--env is required (or --local" in err


def _start_serve(repo: Path, port: int, *extra: str) -> subprocess.Popen[str]:
    command = [
        sys.executable,
        "-m",
        "sagespec.cli",
        "--root",
        str(repo),
        "serve",
        "echo",
        "--port",
        str(port),
        *extra,
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_ping(port: int, proc: subprocess.Popen[str], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited: {proc.communicate()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=1) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("serve did not answer /ping in time")


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()  # only the process this test started, by its handle
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_serve_command_and_smoke_against_it(repo: Path) -> None:
    port = _free_port()
    proc = _start_serve(repo, port)
    try:
        _wait_ping(port, proc, 30)
        code, out, err = run_cli("--root", str(repo), "smoke", "echo", "--local", "--port", str(port))
        assert code == 0, out + err
        assert f"http://127.0.0.1:{port}" in out
    finally:
        _stop(proc)


def _wheel(folder: Path) -> Path:
    """A minimal pure-Python wheel, so pip installs it with no index."""
    path = folder / "tinydep-0.1-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr("tinydep/__init__.py", "VALUE = 'from the scratch venv'\n")
        wheel.writestr(
            "tinydep-0.1.dist-info/METADATA", "Metadata-Version: 2.1\nName: tinydep\nVersion: 0.1\n"
        )
        wheel.writestr(
            "tinydep-0.1.dist-info/WHEEL",
            "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
        wheel.writestr(
            "tinydep-0.1.dist-info/RECORD",
            "tinydep/__init__.py,,\ntinydep-0.1.dist-info/METADATA,,\ntinydep-0.1.dist-info/WHEEL,,\n"
            "tinydep-0.1.dist-info/RECORD,,\n",
        )
    return path


def test_install_requirements_into_a_scratch_venv(repo: Path, tmp_path: Path) -> None:
    code_dir = repo / "models" / "echo" / "code"
    _wheel(code_dir)
    (code_dir / "requirements.txt").write_text("./tinydep-0.1-py3-none-any.whl\n")
    write_code(
        repo,
        INFERENCE.replace("import os\n", "import os\n\nimport tinydep\n").replace(
            "return f\"{model['greeting']}", "return tinydep.VALUE or f\"{model['greeting']}"
        ),
    )
    (repo / "specs" / "models" / "echo.yaml").write_text(
        (repo / "specs" / "models" / "echo.yaml")
        .read_text()
        .replace('equals: "hello sagemaker (3 words in vocab)"', 'equals: "from the scratch venv"')
    )
    env = {**os.environ, "PIP_NO_INDEX": "1", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    base = [sys.executable, "-m", "sagespec.cli", "--root", str(repo), "smoke", "echo", "--local"]
    without = subprocess.run(base, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert without.returncode == 1 and "No module named 'tinydep'" in without.stderr
    done = subprocess.run(
        [*base, "--install-requirements"], capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok (expect matched)" in done.stdout
    assert json.loads(done.stdout.split("response: ", 1)[1].splitlines()[0]) == {
        "generated_text": "from the scratch venv"
    }
    assert list((tmp_path / "cache" / "sagespec" / "serve-venvs").glob("*/.sagespec-ready"))


def test_missing_weights_say_where_to_put_them(repo: Path) -> None:
    weights = repo / "models" / "echo" / "weights"
    for item in weights.iterdir():
        item.unlink()
    weights.rmdir()  # as in a fresh clone: weights are not in git
    code, _, err = run_cli("--root", str(repo), "serve", "echo")
    assert code == 2 and "models/echo/weights: no such folder (weights)" in err
    assert "hint: weights stay out of git" in err and "Traceback" not in err
