"""The packaging benchmark runs, compares with the shell pipelines, and reports a skipped pigz."""

from __future__ import annotations

import shutil

import pytest

from sagespec.bench import package as bench_package


@pytest.mark.skipif(shutil.which("tar") is None or shutil.which("gzip") is None, reason="needs tar and gzip")
def test_small_benchmark_measures_every_tool(monkeypatch: pytest.MonkeyPatch) -> None:
    result = bench_package.measure(3, 1)
    tools = [row["tool"] for row in result["rows"]]
    assert tools[0].startswith("sagespec (isal level 1,") and "tar | gzip -1" in tools
    assert ("tar | pigz -6" in tools) == (shutil.which("pigz") is not None)
    assert all(row["mb_per_s"] > 0 and 0.5 < row["ratio"] < 1.01 for row in result["rows"])
    assert result["same_bytes_on_1_and_n_threads"] is True


def test_missing_pigz_is_skipped_with_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    real = shutil.which
    monkeypatch.setattr(bench_package.shutil, "which", lambda name: None if name == "pigz" else real(name))
    result = bench_package.measure(1, 1)
    assert "pigz not on PATH" in result["skipped"]
    assert [row["tool"] for row in result["rows"]][1:] == ["tar | gzip -1"]
