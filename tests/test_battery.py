"""A CI-sized statistical battery: a few dieharder tests read keyrand's raw
streams (``python -m keyrand.stream``, all three layouts) from a pipe and
none may report FAILED. The full ``dieharder -a`` runs and their results are
in docs/quality.md (bench/battery.py).

The streams are fixed (seed 0) and dieharder's stdin generator has no seed of
its own, so every p-value here is a fixed number. Fewer than ~20 p-samples
make dieharder's final Kolmogorov-Smirnov step unreliable (with 2 or 5 it
reports FAILED for MT19937 too), so each test keeps at least 20."""
import shutil
import subprocess
import sys

import pytest

from conftest import env_with_path, skip_or_fail

# (dieharder test, p-samples, result lines it prints)
TESTS = [("diehard_birthdays", 30, 1), ("diehard_operm5", 20, 1), ("diehard_rank_6x8", 30, 1),
         ("diehard_runs", 30, 2)]
LAYOUTS = ["mlx", "jax-partitionable", "jax-legacy"]
VERDICTS = ("PASSED", "WEAK", "FAILED")

# A Weyl sequence (word i = i * golden ratio mod 2^32): equidistributed but
# far from random. The battery must catch it, or it proves nothing.
WEYL = """
import sys
import numpy as np
i = np.arange(1 << 20, dtype=np.uint64)
try:
    while True:
        sys.stdout.buffer.write((i * 0x9E3779B9 & 0xFFFFFFFF).astype(np.uint32).tobytes())
        i += 1 << 20
except BrokenPipeError:
    pass
"""


def _dieharder(test: str, psamples: int, producer: list[str]) -> list[tuple[str, float, str]]:
    """Run one dieharder test on the producer's stdout: (name, p, verdict) per line."""
    if shutil.which("dieharder") is None:
        skip_or_fail("dieharder not found (apt-get install dieharder)")
    env = env_with_path()
    source = subprocess.Popen(producer, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              env=env)
    try:
        result = subprocess.run(["dieharder", "-g", "200", "-d", test, "-p", str(psamples)],
                                stdin=source.stdout, capture_output=True, text=True,
                                timeout=600)
    finally:
        source.stdout.close()
        source.kill()
        source.wait()
    assert result.returncode == 0, result.stderr
    rows = []
    for line in result.stdout.splitlines():
        fields = [f.strip() for f in line.split("|")]
        if len(fields) == 6 and fields[5] in VERDICTS:
            assert fields[3] == str(psamples), line
            rows.append((fields[0], float(fields[4]), fields[5]))
    return rows


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("test, psamples, lines", TESTS, ids=[t[0] for t in TESTS])
def test_stream_passes(test, psamples, lines, layout):
    rows = _dieharder(test, psamples, [sys.executable, "-m", "keyrand.stream", "--layout", layout])
    assert len(rows) == lines, rows
    assert all(name == test for name, _, _ in rows), rows
    failed = [row for row in rows if row[2] == "FAILED"]
    assert not failed, f"{layout}: {failed}"


def test_battery_catches_a_bad_stream():
    rows = _dieharder("diehard_birthdays", 30, [sys.executable, "-c", WEYL])
    assert [verdict for _, _, verdict in rows] == ["FAILED"]
