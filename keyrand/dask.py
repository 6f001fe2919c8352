"""keyrand samples as Dask arrays: each chunk generates its own block of the
sample (keyrand.block), so the computed array equals the single-machine
result for the same key and shape, whatever the chunking and wherever the
chunks run (threads, processes, a distributed cluster).

Needs ``dask[array]`` (``pip install keyrand[dask]``). The MLX-style samplers
have the top-level signatures plus ``chunks``; :func:`from_sampler` takes any
of :func:`keyrand.supported_samplers`, the ``keyrand.jax`` ones included (the
Threefry mode and 64-bit mode in force when it is called are the ones the
chunks use, on any worker)."""
from __future__ import annotations

import itertools
import math
import numbers

import numpy as np

from . import _prng, _sampling
from ._block import Plan

__all__ = ["bernoulli", "bits", "from_sampler", "gumbel", "laplace", "normal", "randint",
           "truncated_normal", "uniform"]


def _dask_array():
    try:
        import dask.array as da
        from dask.base import tokenize
        from dask.highlevelgraph import HighLevelGraph
    except ImportError as exc:  # pragma: no cover - exercised without dask only
        raise ImportError("keyrand.dask needs dask[array]: pip install 'keyrand[dask]'") from exc
    return da, tokenize, HighLevelGraph


def _chunk(plan: Plan, index: tuple) -> np.ndarray:
    return plan.block(index)


# More chunks than this is a mistake (a graph of 10 million tasks), and
# dask would spend minutes building the chunk tuples before any check.
_MAX_CHUNKS = 10**7


def _check_chunk_count(chunks, shape: tuple[int, ...], itemsize: int) -> None:
    """Refuse chunkings of more than _MAX_CHUNKS chunks before dask builds them."""
    count = _chunk_count(chunks, shape, itemsize)
    if count > _MAX_CHUNKS:
        raise ValueError(f"chunks {chunks!r} would cut the shape {shape} into about "
                         f"{count} chunks (at most {_MAX_CHUNKS})")


def _chunk_count(chunks, shape: tuple[int, ...], itemsize: int) -> int:
    """About how many chunks dask.array makes of `shape` for `chunks`, in
    every spelling it accepts (a size or a tuple per axis, dicts, NumPy and
    float sizes, bools, -1 / None, "auto" and byte strings), computed without
    building them. 0 where dask itself will refuse the spelling."""
    from dask import config
    from dask.utils import parse_bytes
    n = len(shape)
    if isinstance(chunks, dict):  # missing axes (negative keys too): whole
        per = [chunks.get(i, -1) for i in range(n)]
    elif isinstance(chunks, (tuple, list)):
        if len(chunks) != n:
            return 0
        per = list(chunks)
    else:
        per = [chunks] * n
    counts, elements, auto, limit = [], 1, [], 0
    for size, c in zip(shape, per):
        if isinstance(c, (tuple, list)):  # explicit sizes: already built by the caller
            counts.append(len(c))
            elements *= max(1, size // max(1, len(c)))
        elif c is None or (isinstance(c, numbers.Real) and c == -1):
            counts.append(1)
            elements *= size
        elif isinstance(c, str):
            try:
                limit = parse_bytes(config.get("array.chunk-size") if c == "auto" else c)
            except (TypeError, ValueError):
                return 0
            auto.append(size)
        elif isinstance(c, numbers.Real) and math.isfinite(c) and c >= 1:
            counts.append(-(-size // int(c)))
            elements *= min(size, int(c))
        else:
            return 0
    if auto:  # the auto axes share what the limit leaves per chunk
        per_chunk = max(1, limit // (itemsize * max(1, elements)))
        counts.append(max(1, -(-math.prod(auto) // per_chunk)))
    # An empty array still gets each axis's chunk tuple built.
    return max(math.prod(counts), *counts, 0)


def from_sampler(fn, *args, chunks="auto", **kwargs):
    """A Dask array whose value is ``fn(*args, **kwargs)``, chunk by chunk.

    ``fn`` is any of :func:`keyrand.supported_samplers` with an explicit key;
    ``chunks`` is anything ``dask.array`` accepts for the result's shape (key
    batch dimensions first). Each chunk computes only its own elements
    (:func:`keyrand.block`); array-valued parameters travel once in the graph.

    Example:
        >>> import keyrand as kr
        >>> from keyrand import jax as jr
        >>> x = kr.dask.from_sampler(jr.normal, jr.PRNGKey(0), (10, 4), chunks=(3, 2))
        >>> bool((x.compute() == jr.normal(jr.PRNGKey(0), (10, 4))).all())
        True
    """
    da, tokenize, HighLevelGraph = _dask_array()
    plan = Plan(fn, args, kwargs)
    # An empty block: validates every argument now and gives the dtype.
    dtype = plan.block(tuple(slice(0, 0) for _ in plan.shape)).dtype
    _check_chunk_count(chunks, plan.shape, dtype.itemsize)
    try:
        chunks = da.core.normalize_chunks(chunks, plan.shape, dtype=dtype)
    except (TypeError, ValueError, ArithmeticError, AttributeError, IndexError) as exc:
        raise ValueError(f"chunks {chunks!r} do not describe chunks of the shape "
                         f"{plan.shape}: {exc}") from exc
    if any(not all(isinstance(c, numbers.Integral) for c in sizes) or sum(sizes) != n
           for sizes, n in zip(chunks, plan.shape)):  # e.g. NaN: dask's unknown sizes
        raise ValueError(f"chunks {chunks!r} must be known sizes covering the shape "
                         f"{plan.shape}")
    chunks = tuple(tuple(int(c) for c in sizes) for sizes in chunks)
    token = tokenize(fn.__module__, fn.__qualname__, plan.keys, plan.whole, plan.params,
                     plan.others, plan.partitionable, plan.x64, chunks)
    name = f"keyrand-{fn.__name__}-{token}"
    spec = f"keyrand-plan-{token}"
    graph = {spec: plan}
    edges = [np.cumsum((0,) + c) for c in chunks]
    for where in itertools.product(*(range(len(c)) for c in chunks)):
        index = tuple(slice(int(e[i]), int(e[i + 1])) for e, i in zip(edges, where))
        graph[(name,) + where] = (_chunk, spec, index)
    layers = HighLevelGraph.from_collections(name, graph, dependencies=())
    return da.Array(layers, name, chunks, dtype=dtype)


def uniform(low=0.0, high=1.0, shape=(), dtype=np.float32, key=None, *, chunks="auto"):
    """:func:`keyrand.uniform` as a Dask array of the given ``chunks``.

    Example:
        >>> import keyrand as kr
        >>> x = kr.dask.uniform(shape=(1000, 10), key=kr.key(0), chunks=(300, 10))
        >>> x.chunks[0]
        (300, 300, 300, 100)
        >>> bool((x.compute() == kr.uniform(shape=(1000, 10), key=kr.key(0))).all())
        True
    """
    return from_sampler(_sampling.uniform, low, high, shape, dtype, key, chunks=chunks)


def normal(shape=(), dtype=np.float32, loc=None, scale=None, key=None, *, chunks="auto"):
    """:func:`keyrand.normal` as a Dask array of the given ``chunks``.

    Example:
        >>> import keyrand as kr
        >>> x = kr.dask.normal((10**5, 100), key=kr.key(0), chunks=(10**4, 100))
        >>> bool(abs(x.mean().compute()) < 0.01)
        True
    """
    return from_sampler(_sampling.normal, shape, dtype, loc, scale, key, chunks=chunks)


def randint(low, high, shape=(), dtype=np.int32, key=None, *, chunks="auto"):
    """:func:`keyrand.randint` as a Dask array of the given ``chunks``.

    Example:
        >>> import keyrand as kr
        >>> x = kr.dask.randint(0, 6, (100,), key=kr.key(0), chunks=30)
        >>> bool(((0 <= x) & (x < 6)).all().compute())
        True
    """
    return from_sampler(_sampling.randint, low, high, shape, dtype, key, chunks=chunks)


def bits(shape=(), width: int = 4, key=None, *, chunks="auto"):
    """:func:`keyrand.bits` as a Dask array of the given ``chunks``.

    Example:
        >>> import keyrand as kr
        >>> kr.dask.bits((8,), key=kr.key(0), chunks=3).dtype
        dtype('uint32')
    """
    return from_sampler(_prng.bits, shape, width, key, chunks=chunks)


def bernoulli(p=0.5, shape=None, key=None, *, chunks="auto"):
    """:func:`keyrand.bernoulli` as a Dask array of the given ``chunks``.

    Example:
        >>> import keyrand as kr
        >>> kr.dask.bernoulli(0.5, (10,), key=kr.key(0), chunks=4).dtype
        dtype('bool')
    """
    return from_sampler(_sampling.bernoulli, p, shape, key, chunks=chunks)


def gumbel(shape=(), dtype=np.float32, key=None, *, chunks="auto"):
    """:func:`keyrand.gumbel` as a Dask array of the given ``chunks``.

    Example:
        >>> import keyrand as kr
        >>> kr.dask.gumbel((10,), key=kr.key(0), chunks=4).shape
        (10,)
    """
    return from_sampler(_sampling.gumbel, shape, dtype, key, chunks=chunks)


def laplace(shape=(), dtype=np.float32, loc=0.0, scale=1.0, key=None, *, chunks="auto"):
    """:func:`keyrand.laplace` as a Dask array of the given ``chunks``.

    Example:
        >>> import keyrand as kr
        >>> kr.dask.laplace((10,), key=kr.key(0), chunks=4).shape
        (10,)
    """
    return from_sampler(_sampling.laplace, shape, dtype, loc, scale, key, chunks=chunks)


def truncated_normal(lower, upper, shape=None, dtype=np.float32, key=None, *, chunks="auto"):
    """:func:`keyrand.truncated_normal` as a Dask array of the given ``chunks``.

    Example:
        >>> import keyrand as kr
        >>> x = kr.dask.truncated_normal(-1.0, 1.0, (10,), key=kr.key(0), chunks=4)
        >>> bool((abs(x) <= 1).all().compute())
        True
    """
    return from_sampler(_sampling.truncated_normal, lower, upper, shape, dtype, key,
                        chunks=chunks)
