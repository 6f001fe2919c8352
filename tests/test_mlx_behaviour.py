"""What MLX's own random tests (python/tests/test_random.py) check, restated
for keyrand in our words: a user porting code that relies on any of it must
get the same answer. Only behaviour that holds in the pinned mlx 0.32.4 is
here (later MLX releases changed randint to draw integers, not float32
uniforms); the exact numbers are the golden vectors' business."""

import math

import ml_dtypes
import numpy as np
import pytest

import keyrand as kr


def test_global_sequence_repeats_after_seed():
    kr.seed(3)
    a, b = kr.uniform(), kr.uniform()
    kr.seed(3)
    assert (kr.uniform().item(), kr.uniform().item()) == (a.item(), b.item())


def test_keys_and_split():
    assert np.array_equal(kr.key(0), kr.key(0))
    assert not np.array_equal(kr.key(0), kr.key(1))
    k1, k2 = kr.split(kr.key(0))
    assert not np.array_equal(k1, k2)
    r1, r2 = kr.split(kr.key(0))
    assert np.array_equal(k1, r1) and np.array_equal(k2, r2)
    assert kr.split(kr.key(0), 10).shape == (10, 2)


def test_uniform_shapes_bounds_and_dtypes():
    key = kr.key(0)
    a = kr.uniform(key=key)
    assert a.shape == () and a.dtype == np.float32
    assert a.item() == kr.uniform(key=key).item()
    assert kr.uniform(shape=(2, 3)).shape == (2, 3)
    for low in (-1, np.array(-1)):
        a = kr.uniform(shape=(1000,), low=low, high=5)
        assert ((a > -1) & (a < 5)).all()
    assert kr.uniform(-0.1, 0.1, (1,), dtype=ml_dtypes.bfloat16).dtype == ml_dtypes.bfloat16
    assert kr.uniform().dtype == kr.uniform(dtype=None).dtype


@pytest.mark.parametrize("sampler", [kr.normal, kr.laplace])
def test_normal_and_laplace_scale_and_shift(sampler):
    key = kr.key(0)
    a = sampler(key=key)
    assert a.shape == () and a.dtype == np.float32
    assert a.item() == sampler(key=key).item()
    assert sampler(shape=(2, 3)).shape == (2, 3)
    for dt in (np.float16, ml_dtypes.bfloat16):
        assert sampler(dtype=dt).dtype == dt
    for dt in (np.float32, np.float16):
        a = sampler(shape=(3, 2), loc=1.0, scale=2.0, dtype=dt, key=key)
        b = 2.0 * sampler(shape=(3, 2), dtype=dt, key=key).astype(np.float32) + 1.0
        np.testing.assert_allclose(a.astype(np.float32), b, rtol=1e-3, atol=1e-3)
    assert sampler().dtype == sampler(dtype=None).dtype
    for dt in (np.float16, ml_dtypes.bfloat16):  # no infinities in the half types
        a = np.abs(sampler(shape=(10000,), loc=0, scale=1, dtype=dt).astype(np.float32))
        assert (a < np.inf).all()


def test_multivariate_normal_dtypes_shapes_and_moments():
    key = kr.key(0)
    mean, cov = np.array([0, 0]), np.array([[1, 0], [0, 1]])  # integer arrays are fine
    a = kr.multivariate_normal(mean, cov, key=key)
    assert a.shape == (2,) and a.dtype == np.float32
    for dt in (np.int8, np.int32, np.int64, np.uint8, np.uint32, np.uint64, np.float16,
               ml_dtypes.bfloat16):
        with pytest.raises(ValueError):
            kr.multivariate_normal(mean, cov, dtype=dt, key=key)
    for m, c, shape in ((np.zeros((2, 2)), np.zeros((2, 2)), (3,)),
                        (np.zeros(2), np.zeros((2, 2, 2)), (3,)),
                        (np.zeros(3), np.zeros((2, 2)), ()),
                        (np.zeros(2), np.zeros((2, 3)), ())):
        with pytest.raises(ValueError):
            kr.multivariate_normal(m, c, shape=shape, key=key)
    a = kr.multivariate_normal(np.array([[0, 7], [1, 2], [3, 4]]),
                               np.array([[1, 0.5], [0.5, 1]]), shape=(4, 3))
    assert a.shape == (4, 3, 2)
    n = 100_000
    for m, c in ((np.array([4.0, 7.0]), np.array([[2, 0.5], [0.5, 1]])),
                 (np.arange(3), np.array([[1, -1, 0.5], [-1, 1, -0.5], [0.5, -0.5, 1]]))):
        data = kr.multivariate_normal(m, c, shape=(n,), key=key).astype(np.float64)
        tol = 10 * len(m) ** 2 / math.sqrt(n)
        centred = data - data.mean(axis=0)
        np.testing.assert_allclose(data.mean(axis=0), m, rtol=0, atol=tol)
        np.testing.assert_allclose(centred.T @ centred / n, c, rtol=0, atol=tol)


def test_randint_shapes_broadcasting_and_reversed_ranges():
    a = kr.randint(0, 1, [])
    assert a.shape == () and a.dtype == np.int32
    key = kr.key(0)
    a = kr.randint(np.array(3), np.array(15), (88,), key=key)
    assert a.shape == (88,) and a.dtype == np.int32
    assert a.tolist() == kr.randint(np.array(3), np.array(15), (88,), key=key).tolist()
    assert kr.randint(np.zeros((3, 1), np.int32), np.array([[12, 13, 14, 15]]), (3, 4)).shape \
        == (3, 4)
    a = kr.randint(-10, 10, [1000, 1000])
    assert ((-10 <= a) & (a < 10)).all()
    assert (kr.randint(10, -10, [1000, 1000]) == 10).all()
    assert kr.randint(0, 1).dtype == kr.randint(0, 1, dtype=None).dtype
    # Float bounds that floor to an empty range return low's cast.
    assert set(kr.randint(0.5, 0.9, (1000,), key=kr.key(7)).tolist()) == {0}


def test_bernoulli_shapes_and_types():
    a = kr.bernoulli()
    assert a.shape == () and a.dtype == np.bool_
    assert kr.bernoulli(np.array(0.5), [5]).shape == (5,)
    assert kr.bernoulli(np.array([2.0, -2.0])).tolist() == [True, False]
    p = np.array([0.1, 0.2, 0.3])
    assert kr.bernoulli(p, [4, 3]).shape == (4, 3)
    with pytest.raises(ValueError):
        kr.bernoulli(p, [2])  # p does not broadcast to shape
    with pytest.raises(ValueError):
        kr.bernoulli(0, [2])  # an integer p


def test_truncated_normal_shapes_and_bounds():
    a = kr.truncated_normal(-2.0, 2.0)
    assert a.size == 1 and a.dtype == np.float32
    a = kr.truncated_normal(np.array([]), np.array([]))
    assert a.dtype == np.float32 and a.size == 0
    lower, upper = np.array([[-2.0, 0.0]]), np.array([[0.0], [1.0], [2.0]])
    a = kr.truncated_normal(lower, upper)
    assert a.shape == (3, 2) and ((lower <= a) & (a <= upper)).all()
    assert (kr.truncated_normal(2.0, -2.0) == 2.0).all()
    assert kr.truncated_normal(-3.0, 3.0, [542, 399]).shape == (542, 399)
    with pytest.raises(ValueError):
        kr.truncated_normal(np.array([-2.0, -1.0]), np.array([1.0, 2.0, 3.0]))
    assert kr.truncated_normal(0, 1).dtype == kr.truncated_normal(0, 1, dtype=None).dtype


def test_gumbel_mean():
    samples = kr.gumbel(shape=(100, 100))
    assert samples.shape == (100, 100) and samples.dtype == np.float32
    assert abs(samples.mean() - 0.5772) < 0.2
    assert kr.gumbel((1, 1)).dtype == kr.gumbel((1, 1), dtype=None).dtype


def test_categorical_axes_shapes_and_num_samples():
    logits = np.zeros((10, 20), np.float32)
    assert kr.categorical(logits, -1).shape == (10,)
    assert kr.categorical(logits, 0).shape == (20,)
    assert kr.categorical(logits, 1).shape == (10,)
    out = kr.categorical(logits)
    assert out.shape == (10,) and out.dtype == np.uint32 and out.max() < 20
    out = kr.categorical(logits, 0, [5, 20])
    assert out.shape == (5, 20) and out.max() < 10
    assert kr.categorical(logits, 1, num_samples=7).shape == (10, 7)
    assert kr.categorical(logits, 0, num_samples=7).shape == (20, 7)
    with pytest.raises(ValueError):
        kr.categorical(logits, shape=[10, 5], num_samples=5)


def test_permutation_of_ints_and_arrays():
    assert sorted(kr.permutation(4).tolist()) == [0, 1, 2, 3]
    assert sorted(kr.permutation(np.array([0, 1, 2, 3])).tolist()) == [0, 1, 2, 3]
    x = np.arange(16).reshape(4, 4)
    for axis in (0, 1):
        assert np.array_equal(np.sort(kr.permutation(x, axis=axis), axis=axis), x)
    assert not np.array_equal(kr.permutation(16384), np.arange(16384))
    assert kr.permutation(np.array([[1]])).shape == (1, 1)


def test_complex_normal_shapes_and_parameters():
    for extra in ({}, {"scale": 2.0, "loc": 3.0}, {"scale": 2.0, "loc": 3.0 + 1j}):
        for shape in ((), (1, 2, 3, 4)):
            sample = kr.normal(shape, dtype=np.complex64, **extra)
            assert sample.shape == shape and sample.dtype == np.complex64


def test_normal_with_broadcast_array_loc_and_scale():
    b = kr.normal((10, 2))
    assert kr.normal((2, 10, 2), loc=b, scale=b).shape == (2, 10, 2)
    with pytest.raises(ValueError):
        b = kr.normal((10,))
        kr.normal((2, 10, 2), loc=b, scale=b)
    b = kr.normal((3, 1, 2))
    sample = kr.normal((3, 4, 2), dtype=np.float16, loc=b, scale=b)
    assert sample.shape == (3, 4, 2) and sample.dtype == np.float16
