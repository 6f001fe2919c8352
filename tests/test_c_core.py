"""The C harness (tests/c/harness.c) in every configuration: native kernels,
sanitizers, SIMDe builds of the kernels this CPU lacks, NEON under qemu."""
import sys

import pytest

from conftest import ROOT, skip_or_fail

sys.path.insert(0, str(ROOT / "tests" / "c"))
import run_harness  # noqa: E402


@pytest.mark.parametrize("config", ["native", "sanitize", "simde", "aarch64"])
def test_harness(config):
    if config in ("native", "sanitize") and run_harness.host_arch() not in ("x86_64", "aarch64"):
        pytest.skip("the harness knows x86-64 and aarch64 hosts")
    try:
        result = run_harness.run(config)
    except run_harness.ToolMissing as exc:
        skip_or_fail(f"{config}: {exc}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed, 0 failed" in result.stdout
    if config == "aarch64":
        assert "kernel neon: identical to scalar" in result.stdout
    if config == "simde":
        for kernel in ("avx2", "avx512", "neon"):
            assert f"kernel {kernel} (simde): identical to scalar" in result.stdout
