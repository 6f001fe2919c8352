"""Streams of related keys are independent: split children, fold_in
children, adjacent seeds, a parent and its children, in both namespaces and
both JAX Threefry modes.

Two checks per family of 64 keys (fixed, so the statistics are fixed):
* correlation: 10^5 uniform draws per key; every off-diagonal entry of the
  64 x 64 correlation matrix within Z_MAX standard errors (1 / sqrt n) of 0,
  and the sum of their squares, n * sum r^2 ~ chi2(2016), not extreme;
* bits: the XOR of each key's 32-bit words with the next key's has every bit
  position set half of the time (per position within Z_MAX standard errors,
  and all 63 x 32 positions together by chi-square).
"""
import math

import numpy as np
import pytest
from scipy import stats

import keyrand as kr
from keyrand import jax as jr

N = 100_000
KEYS = 64
Z_MAX = 5.0
P_MIN = 1e-4
ROOT_SEED = 20240607


def _mode(partitionable):
    return jr.threefry_partitionable(partitionable)


# name -> (keys of the family, namespace, partitionable mode or None for MLX)
def _families():
    root = kr.key(ROOT_SEED)
    adjacent = np.stack([kr.key(ROOT_SEED + i) for i in range(KEYS)])
    folded = np.stack([kr.fold_in(root, i) for i in range(KEYS)])
    fams = {
        "kr.split children + parent": (np.vstack([root, kr.split(root, KEYS - 1)]), "kr", None),
        "kr.fold_in(k, i)": (folded, "kr", None),
        "kr.key(i), kr.key(i + 1)": (adjacent, "kr", None),
    }
    for partitionable in (True, False):
        tag = "partitionable" if partitionable else "legacy"
        with _mode(partitionable):
            split = np.vstack([root, jr.split(root, KEYS - 1)])
            jfold = np.stack([jr.fold_in(root, i) for i in range(KEYS)])
        fams[f"jax.split children + parent ({tag})"] = (split, "jax", partitionable)
        fams[f"jax.fold_in(k, i) ({tag})"] = (jfold, "jax", partitionable)
        fams[f"jax.PRNGKey(i), PRNGKey(i + 1) ({tag})"] = (adjacent, "jax", partitionable)
    return fams


FAMILIES = _families()


def _uniforms(keys, namespace, partitionable):
    if namespace == "kr":
        return kr.uniform(shape=(N,), key=keys)  # a batch: one row per key
    with _mode(partitionable):
        return jr.uniform(keys, (N,))


def _words(keys, namespace, partitionable):
    if namespace == "kr":
        return kr.bits((N,), key=keys)
    with _mode(partitionable):
        return jr.bits(keys, (N,), np.uint32)


def correlation_check(x: np.ndarray) -> tuple[float, float]:
    """(largest |r| in standard errors, p-value of n * sum r^2 ~ chi2) over
    the off-diagonal entries of the rows' correlation matrix."""
    r = np.corrcoef(x.astype(np.float64))
    off = r[np.triu_indices_from(r, k=1)]
    n = x.shape[1]
    z = off * math.sqrt(n)
    return float(np.abs(z).max()), float(stats.chi2(off.size).sf((z ** 2).sum()))


def xor_bit_check(words: np.ndarray) -> tuple[float, float]:
    """(largest |z| of a bit frequency, chi-square p-value of all of them)
    for the XOR of each row of 32-bit words with the next row."""
    x = words[1:] ^ words[:-1]
    ones = np.stack([((x >> np.uint32(b)) & 1).sum(axis=1) for b in range(32)], axis=1)
    n = words.shape[1]
    z = (ones - n / 2) / math.sqrt(n / 4)
    return float(np.abs(z).max()), float(stats.chi2(z.size).sf((z ** 2).sum()))


@pytest.mark.parametrize("family", list(FAMILIES))
def test_uncorrelated(family):
    keys, namespace, partitionable = FAMILIES[family]
    assert len({tuple(k) for k in keys.tolist()}) == KEYS  # distinct keys
    x = _uniforms(keys, namespace, partitionable)
    assert x.shape == (KEYS, N)
    z_max, p = correlation_check(x)
    assert z_max < Z_MAX and p > P_MIN, (z_max, p)


@pytest.mark.parametrize("family", list(FAMILIES))
def test_xor_of_neighbours_has_fair_bits(family):
    keys, namespace, partitionable = FAMILIES[family]
    z_max, p = xor_bit_check(_words(keys, namespace, partitionable))
    assert z_max < Z_MAX and p > P_MIN, (z_max, p)


def test_one_key_in_different_layouts_is_uncorrelated():
    """The same key drawn in the partitionable and the halves layout (MLX or
    JAX legacy) hashes different counters: unrelated streams."""
    k = kr.key(ROOT_SEED)
    with _mode(True):
        part = jr.uniform(k, (N,))
    with _mode(False):
        legacy = jr.uniform(k, (N,))
    z_max, p = correlation_check(np.stack([part, legacy, kr.uniform(shape=(N,), key=kr.split(k)[0])]))
    assert z_max < Z_MAX and p > P_MIN


def test_the_checks_detect_dependence():
    """Both checks reject streams that share a little: a 5% overlap of
    values, and words that agree in one bit."""
    rng = np.random.default_rng(1)
    x = rng.random((KEYS, N))
    x[1, : N // 20] = x[0, : N // 20]
    assert correlation_check(x)[0] > Z_MAX
    words = rng.integers(0, 2**32, (KEYS, N), dtype=np.uint64).astype(np.uint32)
    words[1] = (words[1] & ~np.uint32(1 << 7)) | (words[0] & np.uint32(1 << 7))
    assert xor_bit_check(words)[0] > Z_MAX
    fair = rng.integers(0, 2**32, (KEYS, N), dtype=np.uint64).astype(np.uint32)
    assert xor_bit_check(fair)[0] < Z_MAX


def test_partitionable_split_children_are_fold_in_children():
    """A property of JAX's partitionable mode that keyrand reproduces: child i
    of split(k, n) is fold_in(k, i) (both hash the counter (0, i)), for every
    n. So split and fold_in on one key hand out the same keys: draw with one
    or the other, not both (docs/quality.md). The legacy mode (and MLX) differ."""
    k = jr.PRNGKey(7)
    folded = np.stack([jr.fold_in(k, i) for i in range(5)])
    with _mode(True):
        np.testing.assert_array_equal(jr.split(k, 5), folded)
        np.testing.assert_array_equal(jr.split(k, 2), folded[:2])
    with _mode(False):
        assert (jr.split(k, 5) != folded).any(axis=1).all()
    assert (kr.split(k, 5) != folded).any(axis=1).all()
