"""Every sampler of keyrand (MLX top level) and keyrand.jax, paired with the
SciPy distribution its draws should follow: the registry behind
tests/test_distributions.py and bench/quality_table.py (which writes the
table in docs/quality.md).

A case draws a 1-D sample of a scalar statistic (the values themselves, or
for multivariate samplers a quantity whose exact law is known: a marginal, a
Mahalanobis distance, a permutation's index) from a fixed key derived from
the case's name, so every p-value below is a fixed number, not a coin toss.
"""
from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy import special, stats

import keyrand as kr
from keyrand import jax as jr

# One sample size for the samplers that cost ~0.1 us per draw, a smaller one
# for the rejection samplers and per-key loops (JAX's algorithms in NumPy).
N_FAST = 1_000_000
N_SLOW = 100_000
N_PER_KEY = 20_000
# Legacy-mode (jax_threefry_partitionable=False) runs use n // LEGACY_DIVISOR:
# the law does not depend on the mode, only the key derivation does.
LEGACY_DIVISOR = 10

# A case passes when its goodness-of-fit p-value exceeds this. The keys are
# fixed, so each p-value is deterministic; 1e-4 keeps the chance that a
# correct sampler was given an unlucky key (over ~100 cases) near 1%.
P_MIN = 1e-4
# ...and when the sample mean and variance lie within this many standard
# errors of the exact values.
Z_MAX = 5.0


@dataclass(frozen=True)
class Case:
    name: str                                   # how the table names it
    draw: Callable[[np.ndarray, int], np.ndarray]  # (key, n) -> statistic sample
    dist: object                                # frozen scipy distribution
    n: int = N_FAST
    discrete: bool = False
    namespace: str = "jax"                      # "mlx" (top level) or "jax"
    moments: bool = True                        # exact mean / variance / kurtosis finite

    def key(self) -> np.ndarray:
        """A fixed key of its own for every case (crc32 of the name)."""
        seed = zlib.crc32(self.name.encode())
        return kr.key(seed) if self.namespace == "mlx" else jr.PRNGKey(seed)

    def size(self, partitionable: bool = True) -> int:
        """Draws in keyrand.jax's partitionable (or MLX) mode, or legacy mode."""
        return self.n if partitionable else self.n // LEGACY_DIVISOR

    def sample(self, n: int | None = None) -> np.ndarray:
        x = self.draw(self.key(), self.n if n is None else n)
        return np.asarray(x, dtype=np.float64).reshape(-1)


class _DoubleSidedMaxwell(stats.rv_continuous):
    """loc + scale * (random sign) * Maxwell: symmetric, |x - loc| / scale ~ Maxwell."""

    def _cdf(self, x):
        return 0.5 + 0.5 * np.sign(x) * stats.maxwell.cdf(np.abs(x))

    def _pdf(self, x):
        return 0.5 * stats.maxwell.pdf(np.abs(x))

    def _stats(self):
        return 0.0, 3.0, 0.0, 15.0 / 9.0 - 3.0  # E x^2 = 3, E x^4 = 15


class _TruncatedNormal(stats.rv_continuous):
    """The standard normal conditioned on [a, b], with a closed-form CDF
    (SciPy's truncnorm evaluates it ~20x slower, seconds per 10^6 values)."""

    def _argcheck(self, a, b):
        return a < b

    def _get_support(self, a, b):
        return a, b

    def _cdf(self, x, a, b):
        # In the upper tail, differences of the survival function keep the
        # digits that differences of ndtr (all close to 1) would lose.
        lower = (special.ndtr(x) - special.ndtr(a)) / (special.ndtr(b) - special.ndtr(a))
        upper = (special.ndtr(-a) - special.ndtr(-x)) / (special.ndtr(-a) - special.ndtr(-b))
        return np.where(a > 0, upper, lower)

    def _pdf(self, x, a, b):
        return stats.truncnorm.pdf(x, a, b)

    def _stats(self, a, b):
        return stats.truncnorm.stats(a, b, moments="mvsk")


truncnorm = _TruncatedNormal(name="truncnorm")


def _discrete(probs) -> stats.rv_discrete:
    p = np.asarray(probs, dtype=np.float64)
    return stats.rv_discrete(values=(np.arange(p.size), p / p.sum()))


def _lehmer(perms: np.ndarray) -> np.ndarray:
    """The rank (0 .. n! - 1) of each row's permutation of 0..n-1."""
    perms = np.asarray(perms)
    n = perms.shape[-1]
    rank = np.zeros(perms.shape[:-1], dtype=np.int64)
    for i in range(n):
        smaller_after = (perms[..., i + 1:] < perms[..., i:i + 1]).sum(axis=-1)
        rank = rank * (n - i) + smaller_after
    return rank


def _ordered_triple(draws: np.ndarray, m: int) -> np.ndarray:
    """Index of an ordered triple of distinct values in range(m): 0 .. m(m-1)(m-2) - 1."""
    a, b, c = draws[:, 0], draws[:, 1], draws[:, 2]
    b_rank = b - (b > a)
    c_rank = c - (c > a) - (c > b)
    return (a * (m - 1) + b_rank) * (m - 2) + c_rank


LOGITS = np.log(np.array([0.1, 0.2, 0.3, 0.05, 0.35], dtype=np.float32))
PROBS = np.exp(LOGITS.astype(np.float64)) / np.exp(LOGITS.astype(np.float64)).sum()
MEAN3 = np.array([1.0, -2.0, 0.5])
COV3 = np.array([[2.0, 0.6, -0.4], [0.6, 1.0, 0.3], [-0.4, 0.3, 0.5]])
_COV3_INV = np.linalg.inv(COV3)
ALPHA3 = np.array([0.5, 2.0, 3.5])
MULTI_P = np.array([0.2, 0.3, 0.5], dtype=np.float32)


def _mahalanobis2(x: np.ndarray) -> np.ndarray:
    d = np.asarray(x, np.float64) - MEAN3
    return np.einsum("ni,ij,nj->n", d, _COV3_INV, d)


def _per_key(key: np.ndarray, n: int) -> np.ndarray:
    """n keys split off `key` (in its namespace's current mode)."""
    return jr.split(key, n)


def mlx_cases() -> list[Case]:
    def c(name, draw, dist, **kw):
        return Case("kr." + name, draw, dist, namespace="mlx", **kw)

    return [
        c("uniform(-2, 3)", lambda k, n: kr.uniform(-2.0, 3.0, (n,), key=k), stats.uniform(-2, 5)),
        c("uniform(-2, 3, float64)", lambda k, n: kr.uniform(-2.0, 3.0, (n,), np.float64, key=k),
          stats.uniform(-2, 5)),
        c("normal(loc=1, scale=2)", lambda k, n: kr.normal((n,), loc=1.0, scale=2.0, key=k),
          stats.norm(1, 2)),
        c("normal(float64)", lambda k, n: kr.normal((n,), np.float64, key=k), stats.norm()),
        c("randint(-3, 7)", lambda k, n: kr.randint(-3, 7, (n,), key=k), stats.randint(-3, 7),
          discrete=True),
        c("randint(0, 1000, uint16)", lambda k, n: kr.randint(0, 1000, (n,), np.uint16, key=k),
          stats.randint(0, 1000), discrete=True),
        c("bernoulli(0.3)", lambda k, n: kr.bernoulli(0.3, (n,), key=k), stats.bernoulli(0.3),
          discrete=True),
        c("truncated_normal(-1, 2)", lambda k, n: kr.truncated_normal(-1.0, 2.0, (n,), key=k),
          truncnorm(-1, 2)),
        c("truncated_normal(0.5, 3, float64)",
          lambda k, n: kr.truncated_normal(0.5, 3.0, (n,), np.float64, key=k),
          truncnorm(0.5, 3)),
        c("gumbel", lambda k, n: kr.gumbel((n,), key=k), stats.gumbel_r()),
        c("laplace(loc=0.5, scale=2)", lambda k, n: kr.laplace((n,), loc=0.5, scale=2.0, key=k),
          stats.laplace(0.5, 2)),
        c("categorical (inverse CDF)", lambda k, n: kr.categorical(LOGITS, shape=(n,), key=k),
          _discrete(PROBS), discrete=True),
        c("categorical (Gumbel-max)",
          lambda k, n: kr.categorical(LOGITS[None, :], num_samples=n, key=k), _discrete(PROBS),
          discrete=True),
        c("multivariate_normal: Mahalanobis^2",
          lambda k, n: _mahalanobis2(kr.multivariate_normal(MEAN3, COV3, (n,), key=k)),
          stats.chi2(3)),
        c("multivariate_normal: x[1]",
          lambda k, n: kr.multivariate_normal(MEAN3, COV3, (n,), key=k)[:, 1],
          stats.norm(MEAN3[1], math.sqrt(COV3[1, 1]))),
        c("permutation(4): rank", lambda k, n: _lehmer(kr.permutation(4, key=kr.split(k, n))),
          stats.randint(0, 24), discrete=True, n=N_SLOW),
    ]


def jax_cases() -> list[Case]:
    def c(name, draw, dist, **kw):
        return Case("jax." + name, draw, dist, namespace="jax", **kw)

    f32 = np.float32
    return [
        c("uniform(-2, 3)", lambda k, n: jr.uniform(k, (n,), minval=-2.0, maxval=3.0),
          stats.uniform(-2, 5)),
        c("normal", lambda k, n: jr.normal(k, (n,)), stats.norm()),
        c("randint(-5, 1000)", lambda k, n: jr.randint(k, (n,), -5, 1000), stats.randint(-5, 1000),
          discrete=True),
        c("bernoulli(0.3)", lambda k, n: jr.bernoulli(k, 0.3, (n,)), stats.bernoulli(0.3),
          discrete=True),
        c("categorical", lambda k, n: jr.categorical(k, LOGITS, shape=(n,)), _discrete(PROBS),
          discrete=True),
        c("choice(5, p)", lambda k, n: jr.choice(k, 5, (n,), p=PROBS.astype(f32)),
          _discrete(PROBS), discrete=True),
        c("choice(6, 3, replace=False): ordered triple",
          lambda k, n: _ordered_triple(jr.choice(_per_key(k, n), 6, (3,), replace=False), 6),
          stats.randint(0, 120), discrete=True, n=N_PER_KEY),
        c("permutation(4): rank", lambda k, n: _lehmer(jr.permutation(_per_key(k, n), 4)),
          stats.randint(0, 24), discrete=True, n=N_PER_KEY),
        c("truncated_normal(-1, 2)", lambda k, n: jr.truncated_normal(k, -1.0, 2.0, (n,)),
          truncnorm(-1, 2)),
        c("gumbel", lambda k, n: jr.gumbel(k, (n,)), stats.gumbel_r()),
        c("laplace", lambda k, n: jr.laplace(k, (n,)), stats.laplace()),
        c("logistic", lambda k, n: jr.logistic(k, (n,)), stats.logistic()),
        c("exponential", lambda k, n: jr.exponential(k, (n,)), stats.expon()),
        c("cauchy", lambda k, n: jr.cauchy(k, (n,)), stats.cauchy(), moments=False),
        c("rademacher", lambda k, n: (jr.rademacher(k, (n,)) + 1) // 2, stats.bernoulli(0.5),
          discrete=True),
        c("lognormal(sigma=0.5)", lambda k, n: jr.lognormal(k, 0.5, (n,)), stats.lognorm(0.5)),
        c("pareto(b=5)", lambda k, n: jr.pareto(k, 5.0, (n,)), stats.pareto(5)),
        c("rayleigh(scale=2)", lambda k, n: jr.rayleigh(k, 2.0, (n,)), stats.rayleigh(scale=2)),
        c("maxwell", lambda k, n: jr.maxwell(k, (n,)), stats.maxwell()),
        c("double_sided_maxwell(loc=1, scale=2)",
          lambda k, n: jr.double_sided_maxwell(k, 1.0, 2.0, (n,)),
          _DoubleSidedMaxwell(name="double_sided_maxwell")(loc=1, scale=2)),
        c("weibull_min(scale=2, concentration=1.5)",
          lambda k, n: jr.weibull_min(k, 2.0, 1.5, (n,)), stats.weibull_min(1.5, scale=2)),
        c("triangular(0, 0.3, 2)", lambda k, n: jr.triangular(k, 0.0, 0.3, 2.0, (n,)),
          stats.triang(0.15, loc=0, scale=2)),
        c("wald(mean=1.5)", lambda k, n: jr.wald(k, 1.5, (n,)), stats.invgauss(1.5)),
        c("generalized_normal(p=1.5)", lambda k, n: jr.generalized_normal(k, 1.5, (n,)),
          stats.gennorm(1.5), n=N_SLOW),
        c("geometric(0.2)", lambda k, n: jr.geometric(k, 0.2, (n,)), stats.geom(0.2),
          discrete=True),
        c("gamma(2.5)", lambda k, n: jr.gamma(k, 2.5, (n,)), stats.gamma(2.5), n=N_SLOW),
        c("gamma(0.3)", lambda k, n: jr.gamma(k, 0.3, (n,)), stats.gamma(0.3), n=N_SLOW),
        c("loggamma(0.5)", lambda k, n: jr.loggamma(k, 0.5, (n,)), stats.loggamma(0.5), n=N_SLOW),
        c("beta(0.5, 2)", lambda k, n: jr.beta(k, 0.5, 2.0, (n,)), stats.beta(0.5, 2), n=N_SLOW),
        c("beta(3, 4)", lambda k, n: jr.beta(k, 3.0, 4.0, (n,)), stats.beta(3, 4), n=N_SLOW),
        c("dirichlet(0.5, 2, 3.5): x[0]",
          lambda k, n: jr.dirichlet(k, ALPHA3, (n,))[:, 0],
          stats.beta(ALPHA3[0], ALPHA3.sum() - ALPHA3[0]), n=N_SLOW),
        c("dirichlet(0.5, 2, 3.5): x[2]",
          lambda k, n: jr.dirichlet(k, ALPHA3, (n,))[:, 2],
          stats.beta(ALPHA3[2], ALPHA3.sum() - ALPHA3[2]), n=N_SLOW),
        c("chisquare(3)", lambda k, n: jr.chisquare(k, 3.0, (n,)), stats.chi2(3), n=N_SLOW),
        c("f(5, 10)", lambda k, n: jr.f(k, 5.0, 10.0, (n,)), stats.f(5, 10), n=N_SLOW),
        c("t(5)", lambda k, n: jr.t(k, 5.0, (n,)), stats.t(5), n=N_SLOW),
        c("poisson(4) (Knuth)", lambda k, n: jr.poisson(k, 4.0, (n,)), stats.poisson(4),
          discrete=True, n=N_SLOW),
        c("poisson(40) (rejection)", lambda k, n: jr.poisson(k, 40.0, (n,)), stats.poisson(40),
          discrete=True, n=N_SLOW),
        c("binomial(20, 0.3) (inversion)", lambda k, n: jr.binomial(k, 20, 0.3, (n,)),
          stats.binom(20, 0.3), discrete=True, n=N_SLOW),
        c("binomial(200, 0.3) (BTRS)", lambda k, n: jr.binomial(k, 200, 0.3, (n,)),
          stats.binom(200, 0.3), discrete=True, n=N_SLOW),
        c("multinomial(20, [0.2, 0.3, 0.5]): x[1]",
          lambda k, n: jr.multinomial(k, 20, MULTI_P, shape=(n, 3))[:, 1],
          stats.binom(20, 0.3), discrete=True, n=N_SLOW),
        c("multivariate_normal: Mahalanobis^2",
          lambda k, n: _mahalanobis2(jr.multivariate_normal(k, MEAN3, COV3, (n,))),
          stats.chi2(3)),
        c("multivariate_normal: x[0]",
          lambda k, n: jr.multivariate_normal(k, MEAN3, COV3, (n,))[:, 0],
          stats.norm(MEAN3[0], math.sqrt(COV3[0, 0]))),
        # Haar measure on O(n): the squared first entry is Beta(1/2, (n-1)/2).
        c("orthogonal(4): Q[0,0]^2", lambda k, n: jr.orthogonal(k, 4, (n,))[:, 0, 0] ** 2,
          stats.beta(0.5, 1.5), n=N_SLOW),
        # Uniform in the unit p-ball of R^d: the norm to the power d is U(0, 1).
        c("ball(d=3, p=2): |x|^3",
          lambda k, n: (np.linalg.norm(jr.ball(k, 3, 2, (n,)).astype(np.float64), axis=1)) ** 3,
          stats.uniform(), n=N_SLOW),
        # ...and in 3-d the direction is uniform on the sphere: x0 / |x| ~ U(-1, 1).
        c("ball(d=3, p=2): x[0] / |x|",
          lambda k, n: _direction(jr.ball(k, 3, 2, (n,)))[:, 0], stats.uniform(-1, 2), n=N_SLOW),
        c("ball(d=2, p=1): |x|_1^2",
          lambda k, n: np.abs(jr.ball(k, 2, 1, (n,)).astype(np.float64)).sum(axis=1) ** 2,
          stats.uniform(), n=N_SLOW),
    ]


def _direction(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, np.float64)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def all_cases() -> list[Case]:
    return mlx_cases() + jax_cases()


# ---------------------------------------------------------------------------
# The statistics.

def ks(x: np.ndarray, dist) -> tuple[str, float, float]:
    """Kolmogorov-Smirnov against the exact CDF: (test, D, p). The p-value is
    the asymptotic (Kolmogorov) one, accurate for the n >= 10^4 used here
    (SciPy's default refines small p-values at a cost of seconds)."""
    r = stats.kstest(x, dist.cdf, method="asymp")
    return "KS", float(r.statistic), float(r.pvalue)


def chi_square(x: np.ndarray, dist) -> tuple[str, float, float]:
    """Pearson chi-square over the support, tails pooled so that every cell
    expects at least 5 draws; values outside the support fail outright."""
    n = x.size
    values = x.astype(np.int64)
    if not np.array_equal(values, x):
        return "chi-square", math.inf, 0.0
    lo_support, hi_support = dist.support()
    if values.min() < lo_support or values.max() > hi_support:
        return "chi-square", math.inf, 0.0
    # Cells [lo, hi] one value each, everything below lo and above hi pooled.
    lo = int(max(lo_support, values.min()))
    hi = int(min(hi_support, values.max()))
    support = np.arange(lo, hi + 1)
    expected = n * dist.pmf(support)
    while support.size > 1 and expected[0] < 5:
        support, expected = support[1:], expected[1:]
    while support.size > 1 and expected[-1] < 5:
        support, expected = support[:-1], expected[:-1]
    below, above = n * dist.cdf(support[0] - 1), n * dist.sf(support[-1])
    counts = np.bincount(values - lo, minlength=hi - lo + 1)
    observed = counts[support - lo]
    obs_below = counts[:support[0] - lo].sum()
    obs_above = counts[support[-1] - lo + 1:].sum()
    obs, exp = list(observed.astype(np.float64)), list(expected)
    for o, e, edge in ((obs_below, below, 0), (obs_above, above, -1)):
        if e >= 5:
            obs.insert(len(obs) if edge else 0, float(o))
            exp.insert(len(exp) if edge else 0, e)
        else:  # a tail too thin for a cell of its own joins the edge cell
            obs[edge] += o
            exp[edge] += e
    obs, exp = np.array(obs), np.array(exp)
    exp *= n / exp.sum()  # exact up to rounding: the cells cover the support
    if obs.size < 2:
        return "chi-square", 0.0, 1.0
    r = stats.chisquare(obs, exp)
    return f"chi-square ({obs.size} cells)", float(r.statistic), float(r.pvalue)


def goodness_of_fit(case: Case, x: np.ndarray) -> tuple[str, float, float]:
    return chi_square(x, case.dist) if case.discrete else ks(x, case.dist)


def moment_z(case: Case, x: np.ndarray) -> tuple[float, float | None]:
    """(z of the sample mean, z of the sample variance) against the exact
    moments, each in units of its standard error (for the variance:
    sqrt((mu4 - sigma^4) / n), mu4 from the exact kurtosis)."""
    mean, var, _, excess = (float(v) for v in case.dist.stats(moments="mvsk"))
    n = x.size
    z_mean = (x.mean() - mean) / math.sqrt(var / n)
    spread = (excess + 2.0) * var * var  # mu4 - sigma^4
    if spread <= 1e-12 * var * var:
        # A symmetric two-point law: the sample variance barely moves (its
        # error is O(1/n), not O(1/sqrt n)); the mean and the fit test it.
        return float(z_mean), None
    z_var = (x.var(ddof=1) - var) / math.sqrt(spread / n)
    return float(z_mean), float(z_var)
