"""Packaging: the sdist carries everything a build and the tests need, the
wheel matrix that cibuildwheel builds, and setup.py's choice of kernel files
and flags for every target platform (most of which cannot be built here)."""
import email.parser
import importlib.util
import json
import os
import subprocess
import sys
import tarfile

import pytest

from conftest import ROOT, skip_or_fail

pytestmark = pytest.mark.source

BUILD_JSON = json.loads((ROOT / "src" / "c" / "build.json").read_text())


def _source_files():
    """What a build from source reads, plus the tests' data, relative to ROOT."""
    paths = {"setup.py", "pyproject.toml", "README.md", "LICENSE", "MANIFEST.in"}
    patterns = {"src/c": ("*.c", "*.h", "*.json"), "src/pyx": ("*.pyx", "*.pxd"),
                "keyrand": ("*.py", "*.pyi", "*.pxd", "py.typed"),
                "tests": ("*.py", "*.pyx", "*.json", "*.txt", "*.c", "*.h")}
    for folder, globs in patterns.items():
        for pattern in globs:
            for path in (ROOT / folder).rglob(pattern):
                rel = path.relative_to(ROOT).as_posix()
                if "__pycache__" in rel or rel in ("src/pyx/_core.c", "src/pyx/_bitgen.c"):
                    continue  # Cython's output is built, never shipped
                paths.add(rel)
    return paths


@pytest.fixture(scope="module")
def sdist(tmp_path_factory):
    if not (ROOT / "setup.py").exists():
        pytest.skip("not a source tree")
    if importlib.util.find_spec("build") is None:
        skip_or_fail("the `build` package is needed to make an sdist")
    out = tmp_path_factory.mktemp("sdist")
    # No isolation: the build requirements are those of this environment.
    proc = subprocess.run([sys.executable, "-m", "build", "--sdist", "--no-isolation",
                           "--outdir", str(out), str(ROOT)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (archive,) = out.glob("keyrand-*.tar.gz")
    return archive


def test_sdist_holds_every_source_and_test_file(sdist):
    with tarfile.open(sdist) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    missing = sorted(_source_files() - names)
    assert not missing, f"missing from the sdist: {missing}"
    shipped_objects = [n for n in names if n.endswith((".so", ".pyd", ".o", ".obj"))]
    assert not shipped_objects
    assert "src/pyx/_core.c" not in names and "src/pyx/_bitgen.c" not in names


def test_sdist_metadata(sdist):
    with tarfile.open(sdist) as tar:
        (pkg_info,) = [m for m in tar.getmembers() if m.name.count("/") == 1
                       and m.name.endswith("/PKG-INFO")]
        meta = email.parser.Parser().parsestr(tar.extractfile(pkg_info).read().decode())
    assert meta["Name"] == "keyrand"
    assert meta["License-Expression"] == "MIT"
    assert meta["License-File"] == "LICENSE"
    assert meta["Requires-Python"] == ">=3.10"
    assert meta["Description-Content-Type"] == "text/markdown"
    assert {"numpy>=1.25", "ml_dtypes>=0.4"} <= set(meta.get_all("Requires-Dist"))
    assert {url.split(",")[0] for url in meta.get_all("Project-URL")} >= {"Homepage", "Source"}
    classifiers = set(meta.get_all("Classifier"))
    for system in ("POSIX :: Linux", "MacOS", "Microsoft :: Windows"):
        assert f"Operating System :: {system}" in classifiers


WHEEL_PLATFORMS = {
    "linux": ["manylinux_x86_64", "manylinux_aarch64", "musllinux_x86_64", "musllinux_aarch64"],
    "macos": ["macosx_x86_64", "macosx_arm64"],
    "windows": ["win_amd64", "win_arm64"],
}


@pytest.mark.parametrize("platform", sorted(WHEEL_PLATFORMS))
def test_cibuildwheel_builds_every_platform_and_python(platform):
    if importlib.util.find_spec("cibuildwheel") is None:
        skip_or_fail("cibuildwheel is not installed")
    proc = subprocess.run([sys.executable, "-m", "cibuildwheel", "--platform", platform,
                           "--print-build-identifiers", str(ROOT)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    identifiers = set(proc.stdout.split())
    expected = {f"cp3{minor}-{tag}" for minor in range(10, 15)
                for tag in WHEEL_PLATFORMS[platform]}
    assert identifiers == expected


# setup.py's kernel_units(plat_name, kind) for the arguments in argv, in a
# fresh interpreter: setup.py imports setuptools, whose distutils shim must
# come before anything else's distutils (it cannot, inside a test session).
KERNEL_UNITS = """
import json, runpy, sys
import setuptools
import Cython.Build
setuptools.setup = lambda **kwargs: None
Cython.Build.cythonize = lambda extensions, **kwargs: extensions
units = runpy.run_path(sys.argv[1])["kernel_units"](sys.argv[2], sys.argv[3])
print(json.dumps(units))
"""


def kernel_units(plat_name, kind, keyrand_arch=None):
    """setup.py's (source, flags) kernel units for a target platform."""
    if not (ROOT / "setup.py").exists():
        pytest.skip("not a source tree")
    env = {k: v for k, v in os.environ.items() if k != "KEYRAND_ARCH"}
    if keyrand_arch:
        env["KEYRAND_ARCH"] = keyrand_arch
    proc = subprocess.run([sys.executable, "-c", KERNEL_UNITS, str(ROOT / "setup.py"),
                           plat_name, kind], capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return [tuple(unit) for unit in json.loads(proc.stdout)]


def _flags(arch, kernel, kind):
    return BUILD_JSON["kernels"][arch][kernel][kind]


@pytest.mark.parametrize("plat_name, kind, expected", [
    ("linux-x86_64", "unix", [("kernels_avx2.c", "x86_64"), ("kernels_avx512.c", "x86_64")]),
    ("macosx-10.9-x86_64", "unix", [("kernels_avx2.c", "x86_64"), ("kernels_avx512.c", "x86_64")]),
    ("win-amd64", "msvc", [("kernels_avx2.c", "x86_64"), ("kernels_avx512.c", "x86_64")]),
    ("linux-aarch64", "unix", [("kernels_neon.c", "aarch64")]),
    ("macosx-11.0-arm64", "unix", [("kernels_neon.c", "aarch64")]),
    ("win-arm64", "msvc", [("kernels_neon.c", "aarch64")]),
    ("linux-ppc64le", "unix", []),
    ("win32", "msvc", []),
])
def test_each_platform_gets_its_kernels_with_their_own_flags(plat_name, kind, expected):
    units = kernel_units(plat_name, kind)
    assert units == [(src, _flags(arch, src, kind)) for src, arch in expected]


def test_universal2_scopes_each_kernels_flags_to_its_slice():
    units = dict(kernel_units("macosx-10.9-universal2", "unix"))
    assert set(units) == {"kernels_avx2.c", "kernels_avx512.c", "kernels_neon.c"}
    for src in ("kernels_avx2.c", "kernels_avx512.c"):
        flags = _flags("x86_64", src, "unix")
        assert flags and units[src] == [x for f in flags for x in ("-Xarch_x86_64", f)]
    assert units["kernels_neon.c"] == []


def test_keyrand_arch_overrides_the_platform():
    assert [src for src, _ in kernel_units("linux-x86_64", "unix", keyrand_arch="aarch64")] \
        == ["kernels_neon.c"]
