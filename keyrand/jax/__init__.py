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
from ._host import HostProfile, host_profile, host_profile_override, set_host_profile
from ._continuous import (categorical, cauchy, double_sided_maxwell, exponential, geometric,
                          gumbel, laplace, logistic, lognormal, maxwell, normal, pareto, rayleigh,
                          triangular, truncated_normal, uniform, wald, weibull_min)
from ._discrete import (bernoulli, choice, permutation, rademacher, randint)
from ._rejection import (ball, beta, binomial, chisquare, dirichlet, f, gamma,
                         generalized_normal, loggamma, multinomial, multivariate_normal,
                         orthogonal, poisson, t)
from ._draws import TypePromotionError
from ._keys import (PRNGKey, bits, clone, fold_in, key, key_data, key_dtype, key_impl, split,
                    wrap_key_data)

__all__ = [
    "ball",
    "bernoulli",
    "beta",
    "binomial",
    "bits",
    "categorical",
    "cauchy",
    "chisquare",
    "choice",
    "clone",
    "dirichlet",
    "double_sided_maxwell",
    "enable_x64",
    "exponential",
    "f",
    "fold_in",
    "gamma",
    "generalized_normal",
    "geometric",
    "gumbel",
    "TypePromotionError",
    "host_profile",
    "host_profile_override",
    "HostProfile",
    "is_threefry_partitionable",
    "key",
    "key_data",
    "key_dtype",
    "key_impl",
    "laplace",
    "loggamma",
    "logistic",
    "lognormal",
    "maxwell",
    "multinomial",
    "multivariate_normal",
    "normal",
    "orthogonal",
    "pareto",
    "permutation",
    "poisson",
    "PRNGKey",
    "rademacher",
    "randint",
    "rayleigh",
    "set_enable_x64",
    "set_host_profile",
    "set_threefry_partitionable",
    "split",
    "t",
    "threefry_partitionable",
    "triangular",
    "truncated_normal",
    "uniform",
    "wald",
    "weibull_min",
    "wrap_key_data",
    "x64_enabled",
]
