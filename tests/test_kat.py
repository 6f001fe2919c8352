"""Random123's published Threefry-2x32-20 answers, through every kernel."""
import numpy as np
import pytest

import keyrand as kr
from keyrand import _core
from keyrand import jax as jr

from conftest import ROOT


def kat_vectors():
    rows = []
    for line in (ROOT / "tests" / "kat" / "threefry2x32_20.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([int(v, 16) for v in line.split()])
    return rows


def test_kat_file_has_the_published_vectors():
    assert len(kat_vectors()) >= 3


@pytest.mark.parametrize("row", kat_vectors())
def test_single_block(row):
    c0, c1, k0, k1, y0, y1 = row
    key = np.array([k0, k1], np.uint32)
    assert _core.threefry2x32(key, np.array([c0, c1], np.uint32)) == (y0, y1)


@pytest.mark.parametrize("row", kat_vectors())
def test_kernels_through_public_api(row, kernel):
    """A counter (0, c) is element c of the partitionable uint64 stream, and
    (0, d) is what fold_in hashes, so KATs with c0 == 0 reach every kernel."""
    c0, c1, k0, k1, y0, y1 = row
    key = np.array([k0, k1], np.uint32)
    if c0 == 0:
        assert kr.fold_in(key, c1).tolist() == [y0, y1]
    # Element i of partitionable bits hashes (i >> 32, i & 0xFFFFFFFF).
    out = np.empty(1, np.uint64)
    _core.fill(_core.Layout.PART_U64, key.reshape(1, 2), 0, (c0 << 32) | c1,
               out.reshape(1, -1).view(np.uint8))
    assert int(out[0]) == (y0 << 32) | y1
    if c0 == 0 and c1 == 0:
        with jr.enable_x64():
            assert int(jr.bits(key, (1,))[0]) == (y0 << 32) | y1
