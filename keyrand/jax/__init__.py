"""The ``jax.random`` API on NumPy arrays, bit-compatible with JAX.

``from keyrand import jax as jr`` then ``jr.split(jr.PRNGKey(0))`` gives what
``jax.random.split(jax.random.PRNGKey(0))`` gives, without JAX installed.
Keys are raw uint32 arrays of shape ``(..., 2)``; JAX typed keys
(``jax.random.key``) are accepted as input too.

Both Threefry modes are supported: the partitionable one (JAX's default since
0.5.0; element ``i`` depends only on the key and ``i``) and the legacy one
(``jax_threefry_partitionable=False``), selected globally with
:func:`set_threefry_partitionable` or locally with
:func:`threefry_partitionable`. :func:`set_enable_x64` mirrors
``jax_enable_x64`` for seeds and default dtypes.

Example:
    >>> from keyrand import jax as jr
    >>> key = jr.PRNGKey(0)
    >>> key, sub = jr.split(key)
    >>> jr.bits(sub, (3,)).dtype
    dtype('uint32')
"""
from __future__ import annotations

from ._config import (enable_x64, is_threefry_partitionable, set_enable_x64,
                      set_threefry_partitionable, threefry_partitionable, x64_enabled)
from ._keys import PRNGKey, bits, fold_in, key_data, split

__all__ = [
    "PRNGKey",
    "bits",
    "enable_x64",
    "fold_in",
    "is_threefry_partitionable",
    "key_data",
    "set_enable_x64",
    "set_threefry_partitionable",
    "split",
    "threefry_partitionable",
    "x64_enabled",
]
