"""Random access (keyrand.block): every block of every supported sampler
equals the same block of the whole sample, bit for bit, in every layout
(MLX, JAX partitionable, JAX legacy), dtype and key batch; bad indices and
unsupported samplers are refused clearly."""
import itertools

import numpy as np
import pytest

import keyrand as kr
from keyrand import jax as jr

SHAPE = (9, 11)
# Boxes with whole and partial dimensions, integers, empty and Ellipsis.
INDICES = [np.s_[1:4, 2:7], np.s_[5], np.s_[:, 3], np.s_[0:0], np.s_[2:9, :], np.s_[..., 1:2],
           np.s_[-3:, -1], np.s_[8, 10], np.s_[:, :]]


def assert_blocks(fn, *args, indices=INDICES, **kwargs):
    whole = fn(*args, **kwargs)
    for index in indices:
        part = kr.block(fn, index, *args, **kwargs)
        want = whole[index]
        assert part.shape == want.shape and part.dtype == want.dtype, index
        np.testing.assert_array_equal(part, want, err_msg=f"{fn.__name__} {index}")


FLOATS = [np.float32, np.float16, "bfloat16", np.float64]


@pytest.mark.parametrize("dtype", FLOATS)
def test_mlx_float_samplers(dtype):
    k = kr.key(7)
    assert_blocks(kr.uniform, -1.0, 2.0, SHAPE, dtype, key=k)
    assert_blocks(kr.uniform, np.arange(11.0), 20.0, SHAPE, dtype, key=k)
    assert_blocks(kr.normal, SHAPE, dtype, key=k)
    assert_blocks(kr.normal, SHAPE, dtype, loc=np.ones((9, 1)), scale=3.0, key=k)
    assert_blocks(kr.gumbel, SHAPE, dtype, key=k)
    assert_blocks(kr.laplace, SHAPE, dtype, scale=2.0, key=k)
    assert_blocks(kr.laplace, SHAPE, dtype, loc=np.arange(11.0), key=k)
    assert_blocks(kr.truncated_normal, -1.0, np.linspace(0, 2, 11), SHAPE, dtype, key=k)


@pytest.mark.parametrize("width", [1, 2, 4])
def test_mlx_bits(width):
    # Width 1 and 2 pack several elements per word: boxes cut inside words.
    assert_blocks(kr.bits, SHAPE, width, key=kr.key(3))
    assert_blocks(kr.bits, (4, 7, 3), width, key=kr.key(3),
                  indices=[np.s_[1:3, 2:5, 1], np.s_[:, 6], np.s_[3, :, 0:2]])


@pytest.mark.parametrize("dtype", [np.int32, np.uint8, np.int64, np.bool_])
def test_mlx_integers(dtype):
    k = kr.key(1)
    high = 2 if dtype == np.bool_ else 100
    assert_blocks(kr.randint, 0, high, SHAPE, dtype, key=k)
    assert_blocks(kr.randint, np.arange(11) % high, high, SHAPE, dtype, key=k)
    assert_blocks(kr.bernoulli, 0.3, SHAPE, key=k)
    # shape=None: the parameters' shape.
    assert_blocks(kr.bernoulli, np.linspace(0, 1, 11), key=k, indices=[np.s_[2:5], np.s_[3]])


@pytest.mark.parametrize("partitionable,x64", list(itertools.product([True, False], repeat=2)))
def test_jax_samplers(partitionable, x64):
    with jr.threefry_partitionable(partitionable), jr.enable_x64(x64):
        k = jr.PRNGKey(3)
        for dtype in [None] + FLOATS:
            for fn in (jr.normal, jr.exponential, jr.gumbel, jr.laplace, jr.logistic, jr.cauchy):
                assert_blocks(fn, k, SHAPE, dtype)
            assert_blocks(jr.uniform, k, SHAPE, dtype, minval=np.arange(11.0))
            assert_blocks(jr.truncated_normal, k, -1.0, 2.0, SHAPE, dtype)
        for dtype in (np.uint8, np.uint16, np.uint32, np.uint64):
            assert_blocks(jr.bits, k, SHAPE, dtype)
        for dtype in (np.int32, np.int8, np.uint32, np.int64):
            assert_blocks(jr.randint, k, SHAPE, 0, 100, dtype)
        assert_blocks(jr.bernoulli, k, 0.3, SHAPE)
        assert_blocks(jr.rademacher, k, SHAPE)


def test_key_batches_are_indexed_first():
    keys = kr.split(kr.key(0), 3)
    assert_blocks(kr.normal, SHAPE, key=keys,
                  indices=[np.s_[1, 2:4, 3:9], np.s_[0:2, :, 5], np.s_[..., 4], np.s_[2]])
    assert_blocks(jr.uniform, jr.split(jr.PRNGKey(1), 2), SHAPE,
                  indices=[np.s_[1, 3:5], np.s_[:, :, 0]])


def test_large_blocks_use_threads_and_stay_exact():
    # Beyond the pool threshold: the block runs in tasks on several threads.
    k = kr.key(5)
    whole = kr.normal((600, 1000), key=k)
    before = kr.get_num_threads()
    try:
        for threads in (1, 2):
            kr.set_num_threads(threads)
            part = kr.block(kr.normal, np.s_[13:587, 101:998], (600, 1000), key=k)
            np.testing.assert_array_equal(part, whole[13:587, 101:998])
    finally:
        kr.set_num_threads(before)


def test_blocks_tile_the_whole_sample():
    # Odd chunk sizes along every axis, concatenated back.
    k = kr.key(11)
    shape = (37, 23, 5)
    whole = kr.uniform(shape=shape, key=k)
    cuts = [(0, 10, 20, 37), (0, 7, 23), (0, 2, 5)]
    tiled = np.empty_like(whole)
    for a, b, c in itertools.product(*(zip(x[:-1], x[1:]) for x in cuts)):
        index = (slice(*a), slice(*b), slice(*c))
        tiled[index] = kr.block(kr.uniform, index, shape=shape, key=k)
    np.testing.assert_array_equal(tiled, whole)


def test_errors():
    k = kr.key(0)
    with pytest.raises(TypeError, match="cannot cut"):
        kr.block(kr.permutation, np.s_[1:2], 5, key=k)
    with pytest.raises(TypeError, match="cannot cut"):
        kr.block(jr.gamma, np.s_[1:2], jr.PRNGKey(0), 1.0, (5,))
    with pytest.raises(ValueError, match="explicit key"):
        kr.block(kr.uniform, np.s_[1:2], shape=(5,))
    with pytest.raises(ValueError, match="step 1"):
        kr.block(kr.uniform, np.s_[::2], shape=(5,), key=k)
    with pytest.raises(IndexError, match="too many indices"):
        kr.block(kr.uniform, np.s_[1, 2], shape=(5,), key=k)
    with pytest.raises(IndexError, match="out of bounds"):
        kr.block(kr.uniform, 5, shape=(5,), key=k)
    with pytest.raises(TypeError, match="integers or slices"):
        kr.block(kr.uniform, np.s_[[1, 2]], shape=(5,), key=k)
    with pytest.raises(ValueError, match="cannot be broadcast"):
        kr.block(kr.uniform, np.s_[1:2], np.zeros(3), 1.0, shape=(5,), key=k)
    with pytest.raises(TypeError):
        kr.block(kr.uniform, np.s_[1:2], nonsense=1, key=k)
    # The MLX layout's length limit is the whole sample's, not the block's.
    with pytest.raises(ValueError, match="shape too large"):
        kr.block(kr.bits, np.s_[0:4], (2**33,), key=k)


def test_supported_samplers_lists_what_block_accepts():
    names = {fn.__name__ for fn in kr.supported_samplers()}
    assert {"uniform", "normal", "randint", "bits", "bernoulli"} <= names


class _InterruptingLock:
    """A lock whose acquisition raises KeyboardInterrupt: the interrupt
    arriving right after the block's state was set (before any try)."""

    def __enter__(self):
        raise KeyboardInterrupt

    def __exit__(self, *exc):
        return False


def test_an_interrupt_inside_block_leaves_no_block_behind(monkeypatch):
    from keyrand import _streams
    k = kr.key(4)
    plain = kr.normal((3, 4), key=k)
    with monkeypatch.context() as m:
        m.setattr(_streams, "_open_lock", _InterruptingLock())
        with pytest.raises(KeyboardInterrupt):
            kr.block(kr.normal, np.s_[5:8, 0:4], (10, 4), key=k)
    # Was: the box stayed set, and this plain draw returned rows 5:8 of (10, 4).
    assert np.array_equal(kr.normal((3, 4), key=k), plain)
    assert _streams._BOX.get() is None


def test_blocks_keep_the_host_profile_of_their_plan():
    """A Plan pickled to a worker on another CPU draws as its maker's host."""
    import pickle
    from keyrand._block import Plan
    k = jr.PRNGKey(2)
    whole = {}
    for fp16 in (False, True):
        with jr.host_profile_override(fp16=fp16):
            whole[fp16] = jr.truncated_normal(k, -1.0, 1.0, (2000,), np.float16)
            plan = pickle.dumps(Plan(jr.truncated_normal, (k, -1.0, 1.0, (2000,), np.float16),
                                     {}))
        with jr.host_profile_override(fp16=not fp16):
            part = pickle.loads(plan).block(np.s_[100:1900])
        assert np.array_equal(part, whole[fp16][100:1900])
    assert not np.array_equal(whole[False], whole[True])
