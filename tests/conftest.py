import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import keyrand as kr

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent

# CI sets this so that a missing tool or library fails instead of skipping.
REQUIRE_ALL = os.environ.get("KEYRAND_REQUIRE_ALL", "") == "1"


def pytest_report_header(config):
    return (f"keyrand {kr.__version__} from {Path(kr.__file__).parent}, "
            f"kernel {kr.simd_kernel()} of {', '.join(kr.available_simd_kernels())}")


def pytest_configure(config):
    # CI's wheel pass: the tests must exercise the installed wheel, never a
    # build lying in the source tree.
    if os.environ.get("KEYRAND_EXPECT_INSTALLED", "") == "1" and \
            ROOT in Path(kr.__file__).resolve().parents:
        raise pytest.UsageError(f"KEYRAND_EXPECT_INSTALLED=1 but keyrand comes from the "
                                f"source tree: {kr.__file__}")


def skip_or_fail(reason: str):
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (KEYRAND_REQUIRE_ALL=1 requires it)")
    pytest.skip(reason)


# What each reference library must provide; an uninstall can leave a bare
# namespace directory behind (e.g. mlx/ without mlx.core).
_REFERENCE_MODULES = {"mlx": "mlx.core", "jax": "jax.random"}


def installed(library: str) -> bool:
    """Whether a reference library (mlx, jax) is really importable."""
    import importlib.util
    try:
        return importlib.util.find_spec(_REFERENCE_MODULES.get(library, library)) is not None
    except ImportError:
        return False


def load_golden(name: str) -> list[dict]:
    return load_golden_file(name)["cases"]


def load_golden_file(name: str) -> dict:
    """A golden file: {"generator": {..., "host": {...}}, "cases": [...]}."""
    with open(TESTS / "golden" / name) as f:
        return json.load(f)


def golden_generator():
    """tests/golden/generate.py as a module, to rerun its case groups live."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("golden_generate", TESTS / "golden" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def expected_array(case: dict) -> np.ndarray:
    out = case["out"]
    return np.array(out["data"], dtype=out["dtype"]).reshape(out["shape"])


def run_python(code: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    """Run code in a fresh interpreter (for import-time behaviour like KEYRAND_SIMD)."""
    env = dict(os.environ)
    env.pop("KEYRAND_SIMD", None)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=300)


@pytest.fixture(params=kr.available_simd_kernels())
def kernel(request):
    """Run the test once under each kernel this CPU can run."""
    previous = kr.simd_kernel()
    kr.set_simd_kernel(request.param)
    yield request.param
    kr.set_simd_kernel(previous)


def require_cython_build() -> None:
    """Skip (or, in CI, fail) unless Cython, setuptools, pip and a C compiler
    are here to build a module that cimports keyrand.c_random."""
    import importlib.util
    import shutil
    for module in ("Cython", "setuptools", "pip"):
        if importlib.util.find_spec(module) is None:
            skip_or_fail(f"{module} is needed to build a cimporting extension")
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        skip_or_fail("no C compiler to build a cimporting extension")


def env_with_path(*paths) -> dict:
    """os.environ with `paths` first on PYTHONPATH, then the keyrand under
    test, so that a subprocess imports this keyrand and not another one."""
    env = dict(os.environ)
    env.pop("KEYRAND_SIMD", None)
    rest = [env["PYTHONPATH"]] if env.get("PYTHONPATH") else []
    env["PYTHONPATH"] = os.pathsep.join([*map(str, paths), kr.get_include(), *rest])
    return env
