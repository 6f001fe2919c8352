"""examples/downstream, a separate Cython project on keyrand's C API, builds
with pip against this keyrand and passes its own tests (in a subprocess, as a
user would run them)."""
import shutil
import subprocess
import sys

from conftest import ROOT, env_with_path, require_cython_build

EXAMPLE = ROOT / "examples" / "downstream"


def test_downstream_example_builds_and_passes_its_tests(tmp_path):
    require_cython_build()
    source = tmp_path / "downstream"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns(
        "build", "*.egg-info", "*.c", "*.so", "__pycache__"))
    site = tmp_path / "site"
    # No build isolation: build against the keyrand (and Cython) of this test run.
    build = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-deps",
         "--no-index", "--quiet", "--target", str(site), str(source)],
        capture_output=True, text=True, env=env_with_path(), timeout=300)
    assert build.returncode == 0, build.stdout + build.stderr
    # From inside `site`, so the installed package (not the copied source) is
    # imported.
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--doctest-modules",
         str(source / "tests"), str(site / "kr_downstream" / "__init__.py")],
        capture_output=True, text=True, env=env_with_path(site), cwd=site, timeout=300)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert " passed" in tests.stdout
