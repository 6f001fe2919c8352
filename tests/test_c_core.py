"""The C harness (tests/c/harness.c) in every configuration: native kernels,
ASan + UBSan, ThreadSanitizer (the pool), SIMDe builds of the kernels this
CPU lacks, NEON under qemu. Each replays the samplers' known answers too."""
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, skip_or_fail

sys.path.insert(0, str(ROOT / "tests" / "c"))
import run_harness  # noqa: E402


@pytest.mark.parametrize("config", ["native", "sanitize", "tsan", "simde", "aarch64"])
def test_harness(config):
    if config in ("native", "sanitize", "tsan") and \
            run_harness.host_arch() not in ("x86_64", "aarch64"):
        pytest.skip("the harness knows x86-64 and aarch64 hosts")
    try:
        result = run_harness.run(config)
    except run_harness.ToolMissing as exc:
        skip_or_fail(f"{config}: {exc}")
    except run_harness.Unsupported as exc:
        pytest.skip(f"{config}: {exc}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed, 0 failed" in result.stdout
    assert "pool: every layout identical on 1 to 4 threads" in result.stdout
    assert "transforms: scalar kernel matches the definitions" in result.stdout
    samplers = [line for line in result.stdout.splitlines() if line.startswith("samplers under")]
    assert samplers and all(line.endswith("all match") for line in samplers), result.stdout
    if config == "aarch64":
        assert "kernel neon: identical to scalar" in result.stdout
    if config == "simde":
        for kernel in ("avx2", "avx512", "neon"):
            assert f"kernel {kernel} (simde): identical to scalar" in result.stdout


def _reference_libm() -> bool:
    """libm_exact.c reproduces glibc 2.36 on x86-64 with FMA: is that this libm?"""
    import platform
    import keyrand as kr
    return (platform.machine() == "x86_64" and platform.libc_ver() == ("glibc", "2.36")
            and "avx2" in kr.available_simd_kernels())  # keyrand's avx2 requires FMA


def _libm_verify(tmp_path, args):
    exe = tmp_path / "libm_verify"
    subprocess.run(["gcc", "-std=c11", "-O2", "-ffp-contract=off", f"-I{ROOT / 'src' / 'c'}",
                    "-o", str(exe), str(ROOT / "tests" / "c" / "libm_verify.c"),
                    str(ROOT / "src" / "c" / "libm_exact.c"), "-lm", "-pthread"], check=True,
                   env=run_harness.tool_env())
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=600,
                          env=run_harness.tool_env())


def test_vectorizable_log1pf_equals_log1pf_on_every_negative_input(tmp_path):
    """kr_log1pf_neg (Laplace's transform) = kr_log1pf on all of (-1, 0]."""
    if shutil.which("gcc") is None:
        skip_or_fail("gcc not found")
    result = _libm_verify(tmp_path, ["neg"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "value mismatches 0," in result.stdout


@pytest.mark.parametrize("args", [["exh", "logf"], ["exh", "log1pf"],
                                  ["big", "log", "20000000"], ["big", "erf", "20000000"]])
def test_libm_exact_equals_the_reference_glibc(args, tmp_path):
    """Every float input (exhaustive) and 2e7 doubles of each kind."""
    if not _reference_libm():
        pytest.skip("the system libm is not the reference (glibc 2.36, x86-64, FMA)")
    result = _libm_verify(tmp_path, args)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "value mismatches 0, NaN-bit-pattern-only mismatches 0" in result.stdout
