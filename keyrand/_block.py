"""Random access: any block of a sample computed alone, the elements outside
it never generated. Threads and Dask chunks stand on it."""
from __future__ import annotations

import functools
import inspect
import numbers

import numpy as np

from . import _streams
from ._validate import as_key, as_shape
from .jax._config import enable_x64, is_threefry_partitionable, threefry_partitionable, x64_enabled
from .jax._host import host_profile, host_profile_override


@functools.lru_cache(maxsize=1)
def _supported() -> dict:
    """Sampler -> its elementwise parameters (they broadcast against the
    shape). Every draw these samplers make has the sample's shape and is
    elementwise in its stream, so a box of the stream gives the block."""
    from . import _prng, _sampling
    from . import jax as kj

    return {
        _prng.bits: (),
        _sampling.uniform: ("low", "high"),
        _sampling.normal: ("loc", "scale"),
        _sampling.randint: ("low", "high"),
        _sampling.bernoulli: ("p",),
        _sampling.gumbel: (),
        _sampling.laplace: ("loc", "scale"),
        _sampling.truncated_normal: ("lower", "upper"),
        kj.bits: (),
        kj.uniform: ("minval", "maxval"),
        kj.normal: (),
        kj.randint: ("minval", "maxval"),
        kj.bernoulli: ("p",),
        kj.exponential: (),
        kj.gumbel: (),
        kj.laplace: (),
        kj.logistic: (),
        kj.cauchy: (),
        kj.rademacher: (),
        kj.truncated_normal: ("lower", "upper"),
    }


def supported_samplers() -> list:
    """The samplers :func:`block` (and keyrand.dask) can cut into blocks.

    Example:
        >>> import keyrand as kr
        >>> kr.normal in kr.supported_samplers()
        True
    """
    return list(_supported())


def block(fn, index, *args, **kwargs) -> np.ndarray:
    """``fn(*args, **kwargs)[index]``, generating only the elements of the block.

    ``fn`` is one of :func:`supported_samplers` (top-level MLX-style samplers
    and the elementwise ``keyrand.jax`` ones); ``args`` and ``kwargs`` are its
    arguments, with an explicit ``key`` and the shape of the whole sample.
    ``index`` is a basic index of the whole result: integers and slices with
    step 1 (``numpy.s_[...]`` builds one), over the key batch dimensions
    first, as for the full result. Each element costs what it costs in the
    full draw, whatever the block, so concatenating blocks gives the whole
    sample bit for bit: chunked, threaded and distributed generation need no
    coordination. Array-valued parameters are cut to the block too.

    Example:
        >>> import numpy as np
        >>> import keyrand as kr
        >>> k = kr.key(0)
        >>> whole = kr.normal((1000, 8), key=k)
        >>> part = kr.block(kr.normal, np.s_[200:300, 2:5], (1000, 8), key=k)
        >>> bool((part == whole[200:300, 2:5]).all())
        True
    """
    return Plan(fn, args, kwargs).block(index)


class Plan:
    """A sampler call, validated once, cut into any number of blocks (here,
    in threads, or pickled to Dask workers). The keyrand.jax modes and host
    profile in force at construction are the ones every block uses."""

    def __init__(self, fn, args: tuple, kwargs: dict):
        table = _supported()
        try:
            known = fn in table
        except TypeError:  # unhashable
            known = False
        if not known:
            name = getattr(fn, "__qualname__", repr(fn))
            raise TypeError(f"block cannot cut {name} into blocks; supported: "
                            f"{', '.join(_name(f) for f in table)}")
        bound = inspect.signature(fn).bind(*args, **kwargs)
        bound.apply_defaults()
        arguments = dict(bound.arguments)
        if arguments.get("key") is None:
            raise ValueError("block needs an explicit key (the global key would give "
                             "every block a different sample)")
        self.fn = fn
        self.keys = as_key(arguments.pop("key"))
        self.params = {p: arguments.pop(p) for p in table[fn] if p in arguments}
        self.whole = _whole_shape(arguments.pop("shape", None), self.params)
        self.others = arguments
        self.shape = self.keys.shape[:-1] + self.whole
        # The host profile too: Dask workers on other CPUs give this host's bits.
        self.partitionable, self.x64 = is_threefry_partitionable(), x64_enabled()
        self.host = host_profile()

    def _draw(self, arguments: dict) -> np.ndarray:
        with threefry_partitionable(self.partitionable), enable_x64(self.x64), \
                host_profile_override(**self.host._asdict()):
            return self.fn(**arguments)

    def block(self, index) -> np.ndarray:
        """The block `index` of the whole result (key batch dimensions first)."""
        starts, counts, drop = _box(index, self.shape)
        nb = self.keys.ndim - 1
        key_index = tuple(s if d else slice(s, s + c)
                          for s, c, d in zip(starts[:nb], counts[:nb], drop[:nb]))
        start, count = tuple(starts[nb:]), tuple(counts[nb:])
        arguments = dict(self.others, key=np.ascontiguousarray(self.keys[key_index]),
                         shape=count)
        for p, value in self.params.items():
            arguments[p] = _cut(value, p, self.whole, start, count)
        result, used = _streams.run_boxed(self.whole, start, count, self._draw, arguments)
        if not used:  # a sampler that drew nothing of the block's shape
            raise RuntimeError(f"{_name(self.fn)} did not draw its block")
        return result[(slice(None),) * (result.ndim - len(count))
                      + tuple(0 if d else slice(None) for d in drop[nb:])]


def _name(fn) -> str:
    """The public name: keyrand.jax._continuous.normal -> keyrand.jax.normal."""
    public = [part for part in fn.__module__.split(".") if not part.startswith("_")]
    return ".".join(public + [fn.__name__])


def _whole_shape(shape, params: dict) -> tuple[int, ...]:
    """The shape of the whole sample (None: the parameters' broadcast shape)."""
    if shape is not None:
        return as_shape(shape)
    try:
        return np.broadcast_shapes(*(_shape_of(v, p) for p, v in params.items()))
    except ValueError as exc:
        raise ValueError(f"{' and '.join(params)} cannot be broadcast together") from exc


def _shape_of(value, name: str) -> tuple[int, ...]:
    try:
        return np.shape(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists
        raise TypeError(f"{name} must be a number or an array of numbers") from exc


def _box(index, shape: tuple[int, ...]) -> tuple[list, list, list]:
    """(start, count, dropped) per dimension of `shape` for a basic index."""
    items = index if isinstance(index, tuple) else (index,)
    ellipses = [i for i, item in enumerate(items) if item is Ellipsis]
    if len(ellipses) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if ellipses:
        at = ellipses[0]
        fill = len(shape) - (len(items) - 1)
        items = items[:at] + (slice(None),) * max(fill, 0) + items[at + 1:]
    if len(items) > len(shape):
        raise IndexError(f"too many indices: {len(items)} for a sample of "
                         f"{len(shape)} dimensions (key batch included)")
    items = items + (slice(None),) * (len(shape) - len(items))
    starts, counts, drop = [], [], []
    for d, (item, n) in enumerate(zip(items, shape)):
        if isinstance(item, slice):
            first, stop, step = item.indices(n)
            if step != 1:
                raise ValueError(f"block index along axis {d} must have step 1; got {step}")
            starts.append(first)
            counts.append(max(stop - first, 0))
            drop.append(False)
        elif isinstance(item, numbers.Integral) and not isinstance(item, (bool, np.bool_)):
            i = int(item)
            if not -n <= i < n:
                raise IndexError(f"index {i} is out of bounds for axis {d} with size {n}")
            starts.append(i % n)
            counts.append(1)
            drop.append(True)
        else:
            raise TypeError(f"block index entries must be integers or slices; "
                            f"got {type(item).__name__}")
    return starts, counts, drop


def _cut(value, name: str, whole: tuple, start: tuple, count: tuple):
    """An array parameter broadcast to the whole sample and cut to the box;
    numbers and 0-d arrays unchanged (they broadcast to any block)."""
    if value is None or len(_shape_of(value, name)) == 0:
        return value
    arr = np.asarray(value)
    try:
        full = np.broadcast_to(arr, whole)
    except ValueError as exc:
        raise ValueError(f"{name} of shape {arr.shape} cannot be broadcast to the "
                         f"shape {whole}") from exc
    return full[tuple(slice(s, s + c) for s, c in zip(start, count))]
