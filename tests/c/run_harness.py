"""Build and run the C harness (harness.c) in several configurations.

    python tests/c/run_harness.py [CONFIG ...]      (default: all of them)

Every configuration that runs also replays the samplers' known answers
(samplers.c, made from the golden vectors by sampler_answers.py) under each
kernel, checks the core's fused multiply-adds (fma_check.c) and first reports
the compiler, the pool's threads and what the dispatcher chose on its own.
The core's flags come from src/c/build.json; every unit is also built with
-Werror, -Wpedantic (no GNU extension outside the guarded blocks) and -Wvla
(MSVC has no variable-length arrays).

native    the core as setup.py builds it; checks every kernel this CPU runs.
sanitize  the same under AddressSanitizer and UBSan.
tsan      the same under ThreadSanitizer (the thread pool).
simde     the AVX2, AVX-512 and NEON kernels compiled against SIMDe's portable
          intrinsics (Debian libsimde-dev), so kernels this CPU lacks are
          checked against scalar on any machine.
aarch64   the core cross-compiled for aarch64 (Debian gcc-aarch64-linux-gnu)
          with its native NEON kernel, run under qemu-aarch64 (qemu-user).
clang     native, compiled by clang (Debian clang).
contract  clang again with its default -ffp-contract=on instead of build.json's
          off, which is what clang-cl's /fp:precise and MSVC before 17.0 do:
          the sources themselves (fused.h's pragmas) must forbid contraction.
oldcpu    the native x86-64 build under qemu-x86_64 -cpu Nehalem (no AVX): the
          dispatcher must choose scalar by itself and the scalar kernel pass
          (--small-boxes: emulated, glibc's software fma makes the largest box
          shape cost about a minute). Controls, dispatch report only: SandyBridge (AVX,
          no AVX2: still scalar) and Haswell (AVX2 + FMA: avx2). qemu runs
          AVX instructions on any -cpu, so the common units' objects are also
          disassembled (objdump): no AVX instruction outside the kernels.
mingw     the core and harness cross-compiled for Windows x64 with mingw-w64
          (Debian gcc-mingw-w64-x86-64), linked statically, run under wine64
          (Debian wine64) in a fresh prefix: Win32 threads, LLP64, the
          Windows C runtime. Needs an x86-64 host.
clang-cl  compile only: every core unit with clang-cl (Debian clang) for
          x86_64-pc-windows-msvc and aarch64-pc-windows-msvc with build.json's
          msvc flags, each kernel's msvc ISA flags, /W4 /WX, so the _MSC_VER
          paths are compiled. mingw-w64's headers (Debian mingw-w64-common)
          stand in for the Windows SDK; see MSVC_HEADERS below. Also
          contract_probe.c to assembly: with fused.h, a * b + c must stay two
          operations (clang-cl contracts under /fp:precise otherwise).

Exit status is non-zero if a configuration fails to build or a check fails.
Missing tools raise ToolMissing (the pytest wrapper decides what that means).
"""
from __future__ import annotations

import atexit
import contextlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sampler_answers  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "c"
HERE = Path(__file__).resolve().parent
HARNESS = [HERE / "harness.c", HERE / "samplers.c", HERE / "fma_check.c"]
KAT = ROOT / "tests" / "kat" / "threefry2x32_20.txt"
BUILD = json.loads((SRC / "build.json").read_text())
SIMDE_HEADER = Path("/usr/include/simde/x86/avx512.h")
MINGW_HEADERS = Path("/usr/share/mingw-w64/include")


class ToolMissing(RuntimeError):
    """A compiler, emulator or header needed by a configuration is absent."""


class Unsupported(RuntimeError):
    """A configuration that cannot run in this environment (not a missing tool)."""


def _need(*tools: str) -> str:
    """The first of `tools` found (a name on PATH or an absolute path)."""
    for tool in tools:
        path = shutil.which(tool)
        if path is not None:
            return path
    raise ToolMissing(f"{' or '.join(tools)} not found")


def tool_env() -> dict:
    """The environment for compilers and harness binaries: without the ASan
    runtime a KEYRAND_SANITIZE=1 test run preloads into Python (each
    configuration links its own sanitizer, and TSan cannot share a process
    with ASan)."""
    return {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}


def host_arch() -> str:
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


def _parallel(commands: list[list[str]]) -> list[subprocess.CompletedProcess]:
    """Run compiler commands concurrently (one per CPU), output captured."""
    def one(cmd):
        return subprocess.run(cmd, capture_output=True, text=True, env=tool_env())
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(one, commands))


def _check(results: list[subprocess.CompletedProcess]) -> None:
    for r in results:
        if r.returncode != 0:
            print(r.stdout + r.stderr, file=sys.stderr)
            raise subprocess.CalledProcessError(r.returncode, r.args, r.stdout, r.stderr)


# ---- configurations that build and run the harness ---------------------------

# A runner: (work dir, notes) -> context manager giving the command prefix
# (an emulator) and extra environment; it may add lines to notes.
Runner = Callable[[Path, list], contextlib.AbstractContextManager]


@contextlib.contextmanager
def _directly(work: Path, notes: list) -> Iterator[tuple[list[str], dict]]:
    yield [], {}


def _qemu(binary: str, cpu: str | None = None) -> Runner:
    @contextlib.contextmanager
    def runner(work: Path, notes: list) -> Iterator[tuple[list[str], dict]]:
        yield [_need(binary), *(["-cpu", cpu] if cpu else [])], {}
    return runner


@contextlib.contextmanager
def _wine(work: Path, notes: list) -> Iterator[tuple[list[str], dict]]:
    """wine64 in a prefix of its own, made here and timed; its server is
    stopped afterwards so nothing outlives the run."""
    wine = _need("wine64", "/usr/lib/wine/wine64")
    server = _need("wineserver", "/usr/lib/wine/wineserver64", "/usr/lib/wine/wineserver")
    env = {"WINEPREFIX": str(work / "wineprefix"), "WINEDEBUG": "-all",
           "WINEDLLOVERRIDES": "mscoree,mshtml="}  # no Mono / Gecko installers
    started = time.monotonic()
    try:
        subprocess.run([wine, "wineboot", "--init"], env=dict(tool_env(), **env),
                       capture_output=True, check=True, timeout=600)
        notes.append(f"wine: new prefix made in {time.monotonic() - started:.1f} s")
        yield [wine], env
    finally:
        subprocess.run([server, "-k"], env=dict(tool_env(), **env), capture_output=True)


@dataclass(frozen=True)
class Harness:
    """A harness binary and how to run it."""
    cc: tuple[str, ...]               # the compiler (first one found)
    kernels: str = "host"             # build.json's kernels of this arch, or "simde"
    flags: tuple[str, ...] = ()       # every unit and the link, after build.json's
    libs: tuple[str, ...] = ("-lm", "-pthread")
    exe: str = "harness"
    args: tuple[str, ...] = ()        # harness options before its files
    runner: Runner = _directly
    controls: dict[str, Runner] = field(default_factory=dict)  # `--dispatch` only
    x86_64_host: bool = False         # the build runs here only on an x86-64 host
    baseline_check: bool = False      # no AVX instruction in the common units' objects

    def units(self) -> list[tuple[Path, list[str]]]:
        units = [(SRC / s, []) for s in BUILD["common_sources"]]
        if self.kernels == "simde":
            units += [(SRC / k, ["-DKR_USE_SIMDE"]) for k in
                      ("kernels_avx2.c", "kernels_avx512.c", "kernels_neon.c")]
            return units + [(h, ["-DKR_HARNESS_SIMDE"]) for h in HARNESS]
        arch = host_arch() if self.kernels == "host" else self.kernels
        units += [(SRC / k, flags["unix"]) for k, flags in BUILD["kernels"].get(arch, {}).items()]
        return units + [(h, []) for h in HARNESS]

    def build(self) -> Path:
        """The binary, built once per process for configurations that share it
        (native and oldcpu are the same build)."""
        if self.x86_64_host and host_arch() != "x86_64":
            raise ToolMissing("this configuration runs x86-64 code natively: x86-64 hosts only")
        key = (self.cc, self.kernels, self.flags, self.libs, self.exe)
        if key not in _BUILT:
            work = Path(tempfile.mkdtemp(prefix="keyrand-harness-build-", dir=_build_root()))
            _BUILT[key] = self._build(work)
        return _BUILT[key]

    def _build(self, work: Path) -> Path:
        cc = _need(*self.cc)
        exe = work / self.exe
        commands, objects = [], []
        for i, (src, flags) in enumerate(self.units()):
            obj = work / f"{i}_{src.stem}.o"
            commands.append([cc, "-c", str(src), "-o", str(obj), f"-I{SRC}", f"-I{HERE}", "-g",
                             "-Werror", "-Wpedantic", "-Wvla", *BUILD["flags"]["unix"], *flags,
                             *self.flags])
            objects.append(str(obj))
        _check(_parallel(commands))
        subprocess.run([cc, *objects, "-o", str(exe), *self.flags, *self.libs], check=True,
                       env=tool_env())
        return exe


_BUILT: dict[tuple, Path] = {}
_BUILD_ROOT: list[str] = []


def _build_root() -> str:
    """A directory for this process's harness binaries, removed at exit."""
    if not _BUILD_ROOT:
        _BUILD_ROOT.append(tempfile.mkdtemp(prefix="keyrand-harness-"))
        atexit.register(shutil.rmtree, _BUILD_ROOT[0], True)
    return _BUILD_ROOT[0]


def _avx_in_common_units(exe: Path) -> str:
    """The baseline check: the common units' objects disassembled, every VEX
    or EVEX instruction (AT&T mnemonics v...) counted. qemu-x86_64 7.2 runs
    AVX instructions whatever -cpu says, so the emulated old CPU alone would
    not catch a kernel flag leaking into a common unit."""
    objdump = _need("objdump")
    found = []
    for i, src in enumerate(BUILD["common_sources"]):
        obj = exe.parent / f"{i}_{Path(src).stem}.o"
        text = subprocess.run([objdump, "-d", "--no-show-raw-insn", str(obj)], check=True,
                              capture_output=True, text=True, env=tool_env()).stdout
        vex = re.findall(r"^\s*[0-9a-f]+:\s+(v[a-z0-9]+)\b", text, re.M)
        if vex:
            found.append(f"{src} ({len(vex)}: {', '.join(sorted(set(vex))[:5])})")
    n = len(BUILD["common_sources"])
    return (f"baseline: AVX instructions in common units: {'; '.join(found)}" if found else
            f"baseline: no AVX instruction in the {n} common units")


SANITIZE = tuple(BUILD["sanitize"]["unix"]) + ("-O1",)

CONFIGS: dict[str, Harness | Callable[[], subprocess.CompletedProcess]] = {
    "native": Harness(("gcc",)),
    "sanitize": Harness(("gcc",), flags=SANITIZE),
    "tsan": Harness(("gcc",), flags=("-fsanitize=thread", "-O1", "-fno-omit-frame-pointer")),
    # SIMDe's own tests are built this way: no vector ISA flags, so every
    # intrinsic takes SIMDe's portable implementation.
    "simde": Harness(("gcc",), kernels="simde", flags=("-O1", "-Wno-psabi")),
    "aarch64": Harness(("aarch64-linux-gnu-gcc",), kernels="aarch64",
                       libs=("-static", "-lm", "-pthread"),
                       runner=_qemu("qemu-aarch64")),
    "clang": Harness(("clang", "clang-14")),
    "contract": Harness(("clang", "clang-14"), flags=("-ffp-contract=on",)),
    # glibc picks its non-FMA log1p on a CPU without FMA; mingw-w64 has its own.
    "oldcpu": Harness(("gcc",), x86_64_host=True, args=("--small-boxes", "--foreign-libm"),
                      baseline_check=True,
                      runner=_qemu("qemu-x86_64", "Nehalem"),
                      controls={"SandyBridge": _qemu("qemu-x86_64", "SandyBridge"),
                                "Haswell": _qemu("qemu-x86_64", "Haswell")}),
    "mingw": Harness(("x86_64-w64-mingw32-gcc",), kernels="x86_64", libs=("-static",),
                     exe="harness.exe", runner=_wine, x86_64_host=True,
                     args=("--foreign-libm",)),
}


def _run_harness(name: str, config: Harness) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix=f"keyrand-harness-{name}-") as tmp:
        work = Path(tmp)
        if name == "simde" and not SIMDE_HEADER.exists():
            raise ToolMissing("SIMDe headers not found (apt-get install libsimde-dev)")
        exe = config.build()
        answers = work / "sampler_answers.txt"
        sampler_answers.write(answers)
        notes: list[str] = []
        env = dict(tool_env(), ASAN_OPTIONS="detect_leaks=1:abort_on_error=1",
                   UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1",
                   TSAN_OPTIONS="halt_on_error=1")
        with config.runner(work, notes) as (prefix, extra_env):
            result = subprocess.run([*prefix, str(exe), *config.args, str(KAT), str(answers)],
                                    capture_output=True, text=True, env=dict(env, **extra_env))
        out, err, status = result.stdout, result.stderr, result.returncode
        if config.baseline_check:
            line = _avx_in_common_units(exe)
            notes.append(line)
            status |= "AVX instructions in" in line
        for label, runner in config.controls.items():
            with runner(work, notes) as (prefix, extra_env):
                control = subprocess.run([*prefix, str(exe), "--dispatch"], capture_output=True,
                                         text=True, env=dict(env, **extra_env))
            out += "".join(f"[{label}] {line}\n" for line in control.stdout.splitlines())
            # (qemu lists the model's features TCG lacks, e.g. Haswell's TSX: noise here)
            err += "".join(line + "\n" for line in control.stderr.splitlines()
                           if "TCG doesn't support requested feature" not in line)
            status |= control.returncode
        out = "".join(f"{note}\n" for note in notes) + out
        return subprocess.CompletedProcess(result.args, status, out, err)


# ---- clang-cl: the MSVC spellings, compiled only -----------------------------

# No Windows SDK or MSVC runtime here: clang's own headers (intrin.h,
# arm_neon.h, ...) and mingw-w64's C library and windows.h stand in, with
#   /clang:-ffreestanding  so clang's intrinsic headers skip mm_malloc.h, whose
#                          stdlib.h clang rejects in mingw-w64's MSVC spelling;
#   -D__CRT__NO_INLINE     no mingw-w64 inline helpers (x87 asm in math.h);
#   msvc_shim/             two mingw-w64 headers adapted to a compiler that is
#                          neither GCC nor MSVC (see each file).
MSVC_HEADERS = ["/clang:-ffreestanding", "-D__CRT__NO_INLINE", "/imsvc", str(HERE / "msvc_shim"),
                "/imsvc", str(MINGW_HEADERS)]
MSVC_TARGETS = {"x86_64-pc-windows-msvc": "x86_64", "aarch64-pc-windows-msvc": "aarch64"}


def _compile_msvc() -> subprocess.CompletedProcess:
    clang = _need("clang", "clang-14")
    if not MINGW_HEADERS.is_dir():
        raise ToolMissing(f"{MINGW_HEADERS} not found (apt-get install mingw-w64-common)")
    lines, counts, failed, warnings = [], [], [], 0
    with tempfile.TemporaryDirectory(prefix="keyrand-clang-cl-") as tmp:
        for target, arch in MSVC_TARGETS.items():
            units = [(s, []) for s in BUILD["common_sources"]]
            units += [(k, f["msvc"]) for k, f in BUILD["kernels"][arch].items()]
            # The source after "--": cl reads an absolute Unix path as an option.
            commands = [[clang, "--driver-mode=cl", f"--target={target}", "/nologo", "/c",
                         f"/Fo{Path(tmp) / (target + '_' + src)}.obj", f"/I{SRC}", "/W4",
                         "/WX", *MSVC_HEADERS, *BUILD["flags"]["msvc"], *flags, "--",
                         str(SRC / src)] for src, flags in units]
            results = _parallel(commands)
            for (src, flags), r in zip(units, results):
                warnings += sum(" warning: " in l or ": warning:" in l for l in r.stderr.splitlines())
                if r.returncode != 0:
                    failed.append(f"{target} {src}")
                    lines.append(r.stderr)
            lines.append(f"{target}: " + " ".join(
                src + (f" ({' '.join(flags)})" if flags else "") for src, flags in units))
            counts.append(sum(r.returncode == 0 for r in results))
        probe, probe_ok = _contraction_probe(clang, Path(tmp))
    (x86, arm) = counts
    summary = (f"compiled {x86} units for x86_64-pc-windows-msvc, {arm} for "
               f"aarch64-pc-windows-msvc, {warnings} warnings")
    if failed:
        summary += "; FAILED: " + ", ".join(failed)
    return subprocess.CompletedProcess(["clang-cl"], 1 if failed or warnings or not probe_ok else 0,
                                       "\n".join([*lines, probe, summary]) + "\n", "")


# Whether a * b + c became one fused instruction, per target: the mnemonics.
FUSED_MNEMONIC = {"x86_64-pc-windows-msvc": re.compile(r"\bvfn?m(add|sub)"),
                  "aarch64-pc-windows-msvc": re.compile(r"\bfn?m(add|sub)\b")}


def _contraction_probe(clang: str, work: Path) -> tuple[str, bool]:
    """contract_probe.c to assembly for both targets, with fused.h and without
    (the control): clang-cl contracts under /fp:precise unless told not to."""
    fused = {}
    for target, arch in MSVC_TARGETS.items():
        isa = BUILD["kernels"][arch].get("kernels_avx2.c", {}).get("msvc", [])
        for with_fused in (True, False):
            asm = work / f"probe_{target}_{with_fused}.asm"
            subprocess.run([clang, "--driver-mode=cl", f"--target={target}", "/nologo", "/c",
                            f"/I{SRC}", "/W4", "/WX", *MSVC_HEADERS, *BUILD["flags"]["msvc"],
                            *isa, *([] if with_fused else ["-DKR_PROBE_WITHOUT_FUSED"]), "/FA",
                            f"/Fa{asm}", f"/Fo{asm.with_suffix('.obj')}", "--",
                            str(HERE / "contract_probe.c")], check=True, capture_output=True,
                           env=tool_env())
            fused[target, with_fused] = bool(FUSED_MNEMONIC[target].search(asm.read_text()))
    ok = all(not fused[t, True] and fused[t, False] for t in MSVC_TARGETS)
    words = {True: "fused", False: "not fused"}
    return ("contraction of a * b + c under the msvc flags: " + "; ".join(
        f"{t} {words[fused[t, True]]} with fused.h ({words[fused[t, False]]} without)"
        for t in MSVC_TARGETS), ok)


CONFIGS["clang-cl"] = _compile_msvc


def run(config: str) -> subprocess.CompletedProcess:
    """Build and run one configuration; its output as a CompletedProcess."""
    if config not in CONFIGS:
        raise ValueError(f"unknown configuration {config!r}")
    why = emulation()
    if config == "sanitize" and why:
        # ASan's shadow reservation under qemu-user commits host memory: it
        # grew to the whole RAM (24 GiB) until the kernel's OOM killer ended it.
        raise Unsupported(f"AddressSanitizer cannot run under {why}: "
                          "its shadow memory exhausts the host's RAM")
    c = CONFIGS[config]
    return _run_harness(config, c) if isinstance(c, Harness) else c()


def main(argv: list[str]) -> int:
    status = 0
    for config in argv or list(CONFIGS):
        started = time.monotonic()
        try:
            result = run(config)
        except Unsupported as exc:
            print(f"== {config} skipped: {exc}")
            continue
        print(f"== {config} (exit {result.returncode}, {time.monotonic() - started:.1f} s)")
        print(result.stdout, end="")
        print(result.stderr, end="", file=sys.stderr)
        status |= result.returncode != 0
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
