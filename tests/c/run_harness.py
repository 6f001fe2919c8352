"""Build and run the C harness (harness.c) in several configurations.

    python tests/c/run_harness.py [native|sanitize|simde|aarch64 ...]

Every configuration also replays the samplers' known answers (samplers.c,
made from the golden vectors by sampler_answers.py) under each kernel.

native    the core as setup.py builds it (flags from src/c/build.json); checks
          every kernel this CPU runs.
sanitize  the same under AddressSanitizer and UBSan.
tsan      the same under ThreadSanitizer (the thread pool).
simde     the AVX2, AVX-512 and NEON kernels compiled against SIMDe's portable
          intrinsics (Debian libsimde-dev), so kernels this CPU lacks are
          checked against scalar on any machine.
aarch64   the core cross-compiled for aarch64 (Debian gcc-aarch64-linux-gnu)
          with its native NEON kernel, run under qemu-aarch64 (qemu-user).

Exit status is non-zero if a configuration fails to build or a check fails.
Missing tools raise ToolMissing (the pytest wrapper decides what that means).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sampler_answers  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "c"
HERE = Path(__file__).resolve().parent
HARNESS = [HERE / "harness.c", HERE / "samplers.c"]
KAT = ROOT / "tests" / "kat" / "threefry2x32_20.txt"
BUILD = json.loads((SRC / "build.json").read_text())
SIMDE_HEADER = Path("/usr/include/simde/x86/avx512.h")


class ToolMissing(RuntimeError):
    """A compiler, emulator or header needed by a configuration is absent."""


class Unsupported(RuntimeError):
    """A configuration that cannot run in this environment (not a missing tool)."""


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise ToolMissing(f"{tool} not found")
    return path


def tool_env() -> dict:
    """The environment for compilers and harness binaries: without the ASan
    runtime a KEYRAND_SANITIZE=1 test run preloads into Python (each
    configuration links its own sanitizer, and TSan cannot share a process
    with ASan)."""
    return {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}


def _compile_and_link(cc: str, units: list[tuple[Path, list[str]]], extra: list[str],
                      exe: Path) -> None:
    objects = []
    for i, (src, flags) in enumerate(units):
        obj = exe.parent / f"{i}_{src.stem}.o"
        cmd = [cc, "-c", str(src), "-o", str(obj), f"-I{SRC}", f"-I{HERE}", "-g", "-Werror",
               *BUILD["flags"]["unix"], *flags, *extra]
        subprocess.run(cmd, check=True, env=tool_env())
        objects.append(str(obj))
    subprocess.run([cc, *objects, "-o", str(exe), *extra, "-lm", "-pthread"], check=True,
                   env=tool_env())


def _units(arch: str, simde: bool) -> list[tuple[Path, list[str]]]:
    units = [(SRC / s, []) for s in BUILD["common_sources"]]
    if simde:
        units += [(SRC / k, ["-DKR_USE_SIMDE"]) for k in
                  ("kernels_avx2.c", "kernels_avx512.c", "kernels_neon.c")]
        units += [(h, ["-DKR_HARNESS_SIMDE"]) for h in HARNESS]
    else:
        units += [(SRC / k, flags["unix"]) for k, flags in BUILD["kernels"].get(arch, {}).items()]
        units += [(h, []) for h in HARNESS]
    return units


def host_arch() -> str:
    import platform
    m = platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "aarch64"}.get(m, m)


def emulation() -> str | None:
    """Why this process runs under user-mode emulation (qemu-user), or None.

    KEYRAND_EMULATED is set by whoever runs the suite under an emulator
    (.ci/aarch64 does). Without it: qemu-user (before it learnt to fake
    /proc/cpuinfo) shows an aarch64 guest the host's x86 /proc/cpuinfo."""
    if os.environ.get("KEYRAND_EMULATED"):
        return os.environ["KEYRAND_EMULATED"]
    if host_arch() != "aarch64":
        return None
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
    except OSError:
        return None
    if any(line.split(":")[0].strip() in ("vendor_id", "flags") for line in cpuinfo.splitlines()):
        return "qemu-user (an aarch64 process that reads an x86 /proc/cpuinfo)"
    return None


def build(config: str, workdir: Path) -> list[str]:
    """Build one configuration; return the command that runs it."""
    exe = workdir / f"harness_{config}"
    if config == "native":
        _compile_and_link(_need("gcc"), _units(host_arch(), False), [], exe)
        return [str(exe)]
    if config == "sanitize":
        flags = BUILD["sanitize"]["unix"] + ["-O1"]
        _compile_and_link(_need("gcc"), _units(host_arch(), False), flags, exe)
        return [str(exe)]
    if config == "tsan":
        flags = ["-fsanitize=thread", "-O1", "-fno-omit-frame-pointer"]
        _compile_and_link(_need("gcc"), _units(host_arch(), False), flags, exe)
        return [str(exe)]
    if config == "simde":
        if not SIMDE_HEADER.exists():
            raise ToolMissing("SIMDe headers not found (apt-get install libsimde-dev)")
        # SIMDe's own tests are built this way: no vector ISA flags, so every
        # intrinsic takes SIMDe's portable implementation.
        _compile_and_link(_need("gcc"), _units("none", True), ["-O1", "-Wno-psabi"], exe)
        return [str(exe)]
    if config == "aarch64":
        cc = _need("aarch64-linux-gnu-gcc")
        qemu = _need("qemu-aarch64")
        _compile_and_link(cc, _units("aarch64", False), ["-static"], exe)
        return [qemu, str(exe)]
    raise ValueError(f"unknown configuration {config!r}")


def run(config: str) -> subprocess.CompletedProcess:
    why = emulation()
    if config == "sanitize" and why:
        # ASan's shadow reservation under qemu-user commits host memory: it
        # grew to the whole RAM (24 GiB) until the kernel's OOM killer ended it.
        raise Unsupported(f"AddressSanitizer cannot run under {why}: "
                          "its shadow memory exhausts the host's RAM")
    with tempfile.TemporaryDirectory(prefix=f"keyrand-harness-{config}-") as tmp:
        cmd = build(config, Path(tmp))
        answers = Path(tmp) / "sampler_answers.txt"
        sampler_answers.write(answers)
        env = dict(tool_env(), ASAN_OPTIONS="detect_leaks=1:abort_on_error=1",
                   UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1",
                   TSAN_OPTIONS="halt_on_error=1")
        return subprocess.run([*cmd, str(KAT), str(answers)], capture_output=True, text=True,
                              env=env)


def main(argv: list[str]) -> int:
    configs = argv or ["native", "sanitize", "tsan", "simde", "aarch64"]
    status = 0
    for config in configs:
        try:
            result = run(config)
        except Unsupported as exc:
            print(f"== {config} skipped: {exc}")
            continue
        print(f"== {config} (exit {result.returncode})")
        print(result.stdout, end="")
        print(result.stderr, end="", file=sys.stderr)
        status |= result.returncode != 0
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
