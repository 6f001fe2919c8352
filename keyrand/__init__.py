"""keyrand: counter-based random numbers for CPUs.

The functional key / split / sample API of ``mlx.core.random`` (top level) and
``jax.random`` (``keyrand.jax``) on NumPy arrays, bit-compatible with both,
computed by Threefry-2x32-20 kernels chosen at run time for the CPU (AVX-512,
AVX2, NEON or portable C).

Example:
    >>> import keyrand as kr
    >>> k = kr.key(0)
    >>> k1, k2 = kr.split(k)
    >>> kr.bits((3,), key=k1).shape
    (3,)
"""
from typing import TYPE_CHECKING

from ._version import __version__
from ._config import (
    available_simd_kernels,
    set_simd_kernel,
    show_config,
    simd_kernel,
    apply_environment as _apply_environment,
)
from ._include import get_include
from ._prng import bits, fold_in, key, seed, split
from ._block import block, supported_samplers
from ._threads import (get_num_threads, set_num_threads,
                       apply_environment as _apply_thread_environment,
                       register_threadpoolctl as _register_threadpoolctl)
from ._sampling import (bernoulli, categorical, gumbel, laplace, multivariate_normal, normal,
                        permutation, randint, truncated_normal, uniform)

from . import dask  # the module imports dask itself only when used

if TYPE_CHECKING:
    from ._bitgen import Threefry

_apply_environment()
_apply_thread_environment()
_register_threadpoolctl()

__all__ = [
    "Threefry",
    "__version__",
    "available_simd_kernels",
    "bernoulli",
    "bits",
    "block",
    "categorical",
    "dask",
    "fold_in",
    "get_include",
    "get_num_threads",
    "gumbel",
    "key",
    "laplace",
    "multivariate_normal",
    "normal",
    "permutation",
    "randint",
    "seed",
    "set_num_threads",
    "set_simd_kernel",
    "show_config",
    "simd_kernel",
    "split",
    "supported_samplers",
    "truncated_normal",
    "uniform",
]


def __getattr__(name: str):
    # keyrand.Threefry needs numpy.random, which costs a sixth of keyrand's
    # import time: load it on first use only.
    if name == "Threefry":
        from ._bitgen import Threefry
        return Threefry
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
