"""The C harness (tests/c/harness.c) in every configuration of
tests/c/run_harness.py: native kernels, ASan + UBSan, ThreadSanitizer (the
pool), SIMDe builds of the kernels this CPU lacks, NEON under qemu, clang
(with and without contraction on the command line), an emulated pre-AVX CPU,
Windows through mingw-w64 and wine, and the MSVC spellings through clang-cl.
Each replays the samplers' known answers too. Also: the Python extension
itself on the emulated old CPU."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import keyrand as kr

from conftest import ROOT, skip_or_fail

sys.path.insert(0, str(ROOT / "tests" / "c"))
import run_harness  # noqa: E402

# The harness checks the C sources (not the installed keyrand) with Linux's
# toolchains: GCC, clang, sanitizers, cross compilers, qemu, wine. On other
# hosts the wheel's own tests cover the build (docs/platforms.md).
pytestmark = [pytest.mark.source,
              pytest.mark.skipif(sys.platform != "linux", reason="the C harness runs on Linux")]

HARNESS_CONFIGS = [name for name, c in run_harness.CONFIGS.items()
                   if isinstance(c, run_harness.Harness)]
# Configurations whose binary runs on this very CPU (no emulator).
ON_THIS_CPU = {"native", "sanitize", "tsan", "simde", "clang", "contract", "mingw"}


def dispatch(stdout: str, label: str = "") -> dict:
    """The harness's line `dispatch: compiled ...; supported ...; best ...`."""
    prefix = f"{label}dispatch: "
    line = next(l for l in stdout.splitlines() if l.startswith(prefix))
    compiled, supported, best = line[len(prefix):].split("; ")
    return {"compiled": set(compiled.split()[1:]), "supported": set(supported.split()[1:]),
            "best": best.split()[1]}


@pytest.mark.parametrize("config", HARNESS_CONFIGS)
def test_harness(config):
    if config in ("native", "sanitize", "tsan", "clang", "contract") and \
            run_harness.host_arch() not in ("x86_64", "aarch64"):
        pytest.skip("the harness knows x86-64 and aarch64 hosts")
    if run_harness.CONFIGS[config].x86_64_host and run_harness.host_arch() != "x86_64":
        pytest.skip(f"{config} runs x86-64 code natively (qemu -cpu, wine64): x86-64 hosts only")
    try:
        result = run_harness.run(config)
    except run_harness.ToolMissing as exc:
        skip_or_fail(f"{config}: {exc}")
    except run_harness.Unsupported as exc:
        pytest.skip(f"{config}: {exc}")
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert " passed, 0 failed" in out
    assert "pool: every layout identical on 1 to 4 threads" in out
    assert "transforms: scalar kernel matches the definitions" in out
    assert "fma: known answers match" in out
    samplers = [line for line in out.splitlines() if line.startswith("samplers under")]
    assert samplers and all("all match" in line and "MISMATCH" not in line
                            for line in samplers), out
    # Answers are skipped only where the C library is not glibc's x86-64 FMA build.
    if config not in ("oldcpu", "mingw"):
        assert not any("skipped" in line for line in samplers), out

    d = dispatch(out)
    assert d["best"] in d["supported"] <= d["compiled"], d
    if config in ON_THIS_CPU:
        # Every build asks this CPU the same question, Windows too.
        assert d["supported"] == set(kr.available_simd_kernels()), d
    if config != "simde":  # (it checks its own SIMDe builds instead, below)
        for kernel in d["supported"] - {"scalar"}:
            assert f"kernel {kernel}: identical to scalar" in out
    assert ("threads: win32" if config == "mingw" else "threads: pthreads") in out
    if config in ("clang", "contract"):
        assert "compiler: clang " in out
    if config == "aarch64":
        assert d["best"] == "neon"
        assert "kernel neon: identical to scalar" in out
    if config == "simde":
        for kernel in ("avx2", "avx512", "neon"):
            assert f"kernel {kernel} (simde): identical to scalar" in out
    if config == "oldcpu":
        # Nehalem: no AVX, so the dispatcher must settle on scalar by itself.
        assert {"avx2", "avx512"} <= d["compiled"]
        assert d["supported"] == {"scalar"} and d["best"] == "scalar", d
        assert "baseline: no AVX instruction in the" in out
        # Controls: AVX without AVX2 is still scalar; Haswell gets avx2.
        sandy, haswell = dispatch(out, "[SandyBridge] "), dispatch(out, "[Haswell] ")
        assert sandy["supported"] == {"scalar"} and sandy["best"] == "scalar", sandy
        assert haswell["supported"] == {"scalar", "avx2"} and haswell["best"] == "avx2", haswell


def test_msvc_spellings_compile():
    """Every core unit through clang-cl for Windows x64 and ARM64, /W4 /WX."""
    try:
        result = run_harness.run("clang-cl")
    except run_harness.ToolMissing as exc:
        skip_or_fail(f"clang-cl: {exc}")
    assert result.returncode == 0, result.stdout + result.stderr
    build = run_harness.BUILD
    x86 = len(build["common_sources"]) + len(build["kernels"]["x86_64"])
    arm = len(build["common_sources"]) + len(build["kernels"]["aarch64"])
    assert (f"compiled {x86} units for x86_64-pc-windows-msvc, {arm} for "
            f"aarch64-pc-windows-msvc, 0 warnings") in result.stdout
    # fused.h stops the contraction clang-cl does under /fp:precise (the
    # control, without fused.h, shows that it would).
    assert ("x86_64-pc-windows-msvc not fused with fused.h (fused without); "
            "aarch64-pc-windows-msvc not fused with fused.h (fused without)") in result.stdout


# A small sample of every sampler family whose bits do not depend on the CPU.
# (Not JAX's float32 gamma family: XLA's rsqrt starts from the CPU's rsqrtps
# estimate, which differs between vendors, and qemu computes it exactly.)
SAMPLE = """
import hashlib, numpy as np, keyrand as kr
from keyrand import jax as jr
k = kr.key(2024)
h = hashlib.sha256()
for a in (kr.bits((1003,), 4, key=k), kr.bits((1003,), 1, key=k),
          kr.uniform(shape=(1003,), key=k), kr.uniform(shape=(1003,), dtype=np.float16, key=k),
          kr.normal((1003,), key=k), kr.normal((1003,), dtype=np.float16, key=k),
          kr.gumbel((1003,), key=k), kr.laplace((1003,), key=k), kr.randint(-5, 99, (1003,), key=k),
          jr.normal(k, (1003,)), jr.uniform(k, (1003,)), jr.bits(k, (1003,), "uint64")):
    h.update(np.ascontiguousarray(a).tobytes())
with jr.enable_x64():
    h.update(jr.normal(k, (1003,), np.float64).tobytes())
    h.update(jr.uniform(k, (1003,), np.float64).tobytes())
print(kr.simd_kernel(), ",".join(kr.available_simd_kernels()), h.hexdigest())
"""


# A CPU below keyrand's AVX2 kernel (AVX, but neither AVX2 nor FMA) that NumPy
# still supports (NumPy 2.4's baseline is x86-64-v2: SSE4.2, POPCNT): NumPy must
# import for keyrand to load. The pre-AVX Nehalem runs the C core alone, in the
# harness's oldcpu configuration (tests/c/run_harness.py).
OLD_CPU = "SandyBridge"


def test_extension_on_an_old_cpu():
    """The installed extension under qemu-x86_64 -cpu SandyBridge: it picks the
    scalar kernel by itself and draws the same bits as on this CPU."""
    if run_harness.host_arch() != "x86_64":
        pytest.skip("qemu-x86_64 -cpu emulates x86-64 CPUs on an x86-64 host here")
    from keyrand import _core
    if _core.sanitized():
        pytest.skip("a sanitized build needs the ASan runtime preloaded into Python, not qemu")
    qemu = shutil.which("qemu-x86_64")
    if qemu is None:
        skip_or_fail("qemu-x86_64 not found (apt-get install qemu-user)")
    # This keyrand, wherever it is installed; no ASan runtime for qemu itself.
    here_path = str(Path(kr.__file__).resolve().parents[1])
    env = dict(run_harness.tool_env(), PYTHONPATH=os.pathsep.join(
        [here_path, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    env.pop("KEYRAND_SIMD", None)
    here = subprocess.run([sys.executable, "-c", SAMPLE], capture_output=True, text=True,
                          env=env, timeout=120)
    old = subprocess.run([qemu, "-cpu", OLD_CPU, sys.executable, "-c", SAMPLE],
                         capture_output=True, text=True, env=env, timeout=300)
    assert here.returncode == 0, here.stderr
    assert old.returncode == 0, old.stderr
    kernel, available, digest = old.stdout.split()
    assert (kernel, available) == ("scalar", "scalar")
    assert digest == here.stdout.split()[2]


def _reference_libm() -> bool:
    """libm_exact.c reproduces glibc 2.36 on x86-64 with FMA: is that this libm?"""
    import platform
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


def test_vector_kernels_inline_every_jax_transform():
    """The JAX float32 and float64 transforms of the AVX2 / AVX-512 kernels
    call nothing but float64 erf_inv's scalar tail (about 0.2% of the draws,
    after the vector loop): every XLA math function is inlined into the loops,
    so they vectorize. (With three callers of erf_inv GCC once stopped inlining
    it and the normal loop ran as scalar code, 16x slower, with every other
    test still passing.)"""
    from keyrand import _core
    if run_harness.host_arch() != "x86_64" or _core.sanitized():
        pytest.skip("the x86-64 kernels of an uninstrumented build")
    objdump = shutil.which("objdump")
    if objdump is None:
        skip_or_fail("objdump not found (apt-get install binutils)")
    text = subprocess.run([objdump, "-d", "--no-show-raw-insn", _core.__file__],
                          capture_output=True, text=True, check=True,
                          env=run_harness.tool_env()).stdout
    functions, current = {}, None
    for line in text.splitlines():
        if line.endswith(">:"):
            name = line.split("<", 1)[1][:-2]
            current = name if name.startswith(("kr_jax_", "kr_jax64_")) and \
                name.endswith(("_avx2", "_avx512")) else None
            if current:
                functions[current] = []
        elif current and "\tcall" in line and "<kr_xla_erfinv_f64" not in line:
            functions[current].append(line.strip())
    want = {f"kr_jax_f{bits}_{isa}" for bits in (32, 64) for isa in ("avx2", "avx512")}
    assert want <= set(functions), sorted(functions)
    calls = {name: found for name, found in functions.items() if found}
    assert not calls, calls
