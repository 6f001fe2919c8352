"""keyrand.dask: chunked samples equal the single-machine result for the same
key and shape, whatever the chunking, the scheduler, or the process a chunk
runs in (a LocalCluster of worker processes included)."""
import itertools
import math

import numpy as np
import pytest

import keyrand as kr
from keyrand import jax as jr

da = pytest.importorskip("dask.array")

SHAPE = (101, 13)
CHUNKS = [(17, 5), (101, 13), (1, 13), (50, 1), ((30, 71), (6, 7)), "auto",
          ((np.int64(60), np.int64(41)), (np.int32(13),))]


def assert_chunked(lazy, eager):
    got = lazy.compute()
    assert got.dtype == eager.dtype and got.shape == eager.shape
    np.testing.assert_array_equal(got, eager)


@pytest.mark.parametrize("chunks", CHUNKS)
def test_mlx_forms_equal_the_whole_sample(chunks):
    k = kr.key(42)
    assert_chunked(kr.dask.uniform(-2.0, 3.0, SHAPE, key=k, chunks=chunks),
                   kr.uniform(-2.0, 3.0, SHAPE, key=k))
    assert_chunked(kr.dask.normal(SHAPE, key=k, chunks=chunks), kr.normal(SHAPE, key=k))
    assert_chunked(kr.dask.normal(SHAPE, np.float16, loc=np.arange(13.0), key=k, chunks=chunks),
                   kr.normal(SHAPE, np.float16, loc=np.arange(13.0), key=k))
    assert_chunked(kr.dask.randint(-5, 1000, SHAPE, np.int16, key=k, chunks=chunks),
                   kr.randint(-5, 1000, SHAPE, np.int16, key=k))
    for width in (1, 2, 4):
        assert_chunked(kr.dask.bits(SHAPE, width, key=k, chunks=chunks),
                       kr.bits(SHAPE, width, key=k))
    assert_chunked(kr.dask.bernoulli(0.2, SHAPE, key=k, chunks=chunks),
                   kr.bernoulli(0.2, SHAPE, key=k))
    assert_chunked(kr.dask.gumbel(SHAPE, np.float64, key=k, chunks=chunks),
                   kr.gumbel(SHAPE, np.float64, key=k))
    assert_chunked(kr.dask.laplace(SHAPE, loc=1.0, key=k, chunks=chunks),
                   kr.laplace(SHAPE, loc=1.0, key=k))
    assert_chunked(kr.dask.truncated_normal(-1.0, 0.5, SHAPE, key=k, chunks=chunks),
                   kr.truncated_normal(-1.0, 0.5, SHAPE, key=k))


@pytest.mark.parametrize("partitionable", [True, False])
def test_jax_forms_in_both_modes(partitionable):
    with jr.threefry_partitionable(partitionable):
        k = jr.PRNGKey(7)
        for fn, args in [(jr.normal, (k, SHAPE)), (jr.uniform, (k, SHAPE, np.float16)),
                         (jr.randint, (k, SHAPE, 0, 10)), (jr.bits, (k, SHAPE, np.uint8)),
                         (jr.exponential, (k, SHAPE))]:
            assert_chunked(kr.dask.from_sampler(fn, *args, chunks=(20, 6)), fn(*args))


def test_key_batches_are_chunkable():
    keys = kr.split(kr.key(1), 5)
    assert_chunked(kr.dask.normal((40, 3), key=keys, chunks=(2, 15, 2)),
                   kr.normal((40, 3), key=keys))


def test_chunks_tile_exactly_and_names_are_deterministic():
    k = kr.key(3)
    a = kr.dask.normal((1000,), key=k, chunks=333)
    assert a.chunks == ((333, 333, 333, 1),)
    assert a.name == kr.dask.normal((1000,), key=k, chunks=333).name
    assert a.name != kr.dask.normal((1000,), key=kr.key(4), chunks=333).name
    # Sliced / reduced lazily like any dask array.
    np.testing.assert_array_equal(a[500:700].compute(), kr.normal((1000,), key=k)[500:700])


def test_the_mode_is_captured_when_the_graph_is_built():
    k = jr.PRNGKey(2)
    with jr.threefry_partitionable(False):
        lazy = kr.dask.from_sampler(jr.normal, k, (64,), chunks=10)
        legacy = jr.normal(k, (64,))
    np.testing.assert_array_equal(lazy.compute(), legacy)
    assert not np.array_equal(legacy, jr.normal(k, (64,)))


def test_errors_are_raised_when_the_graph_is_built():
    with pytest.raises(ValueError, match="explicit key"):
        kr.dask.normal((10,), chunks=5)
    with pytest.raises(ValueError, match="cannot be broadcast"):
        kr.dask.uniform(np.zeros(3), 1.0, (10,), key=kr.key(0), chunks=5)
    with pytest.raises(TypeError, match="cannot cut"):
        kr.dask.from_sampler(jr.gamma, jr.PRNGKey(0), 1.0, (5,), chunks=2)
    with pytest.raises(ValueError):
        kr.dask.normal((10,), key=kr.key(0), chunks=(3, 3))


@pytest.mark.parametrize("chunks", [1, np.int64(1), {0: 1}, (1.0,), [1], True, "1B",
                                    "3 B"], ids=repr)
def test_too_many_chunks_are_refused_in_every_spelling(chunks):
    """10**8 one-element chunks: refused by name before dask builds them (was:
    minutes and ~9 GB for every spelling but a plain int)."""
    with pytest.raises(ValueError, match="chunks"):
        kr.dask.normal((10**8,), key=kr.key(0), chunks=chunks)


@pytest.mark.parametrize("shape", [(10,), (7, 13), (100, 3, 5), (0, 50), (0, 10**8)])
def test_the_chunk_count_estimate_follows_dask(shape):
    """keyrand.dask estimates dask's chunk count for every spelling to within
    a factor 4 (what the refusal needs), without building the chunks."""
    from keyrand.dask import _chunk_count
    spellings = [1, 2, np.int64(3), True, 2.0, "auto", "8B", "64B", "1KiB", -1, None, {0: 2},
                 {1: 3}, {-1: 2}, (2,) * len(shape), (None,) * len(shape)]
    checked = 0
    for chunks in spellings:
        if math.prod(shape) == 0 and shape[1] > 10**6 and chunks not in (1, 2, True):
            continue  # dask itself builds 10**8 entries for these
        try:
            real = da.core.normalize_chunks(chunks, shape, dtype=np.float32)
        except (TypeError, ValueError, ArithmeticError):  # dask refuses it
            continue
        n = max([math.prod(len(c) for c in real)] + [len(c) for c in real])
        est = _chunk_count(chunks, shape, 4)
        assert n / 4 <= est <= 4 * n + 1, (chunks, n, est)
        checked += 1
    assert checked >= 3


@pytest.fixture(scope="module")
def cluster_client():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        yield client


def test_local_cluster_of_worker_processes(cluster_client):
    k = kr.key(2026)
    shape = (30001, 7)
    lazy = kr.dask.normal(shape, key=k, chunks=(4999, 3))
    np.testing.assert_array_equal(cluster_client.compute(lazy).result(), kr.normal(shape, key=k))
    # The chunks really ran in more than one worker process.
    import distributed
    held = cluster_client.persist(lazy)
    distributed.wait(held)
    workers = set(itertools.chain.from_iterable(cluster_client.who_has(held).values()))
    assert len(workers) == 2
    with jr.threefry_partitionable(False), jr.enable_x64(True):
        jk = jr.PRNGKey(5)
        lazy = kr.dask.from_sampler(jr.uniform, jk, (1000, 5), chunks=(333, 2))
        want = jr.uniform(jk, (1000, 5))
    assert want.dtype == np.float64
    np.testing.assert_array_equal(cluster_client.compute(lazy).result(), want)
