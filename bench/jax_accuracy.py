"""keyrand.jax against jax.random: how many of N draws differ, per function,
dtype and Threefry mode, and the largest difference in units in the last
place. Writes the exactness table of docs/jax.md.

    python bench/jax_accuracy.py [--n N] [--out FILE]

Needs jax 0.10.2 (the pinned version). float64 rows run with 64-bit mode on
in both libraries; the others with it off.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import ml_dtypes
import numpy as np

from keyrand import jax as jr

# (function, positional parameters, dtypes)
FLOATS = ("float32", "float64", "float16", "bfloat16")
CASES = [
    ("uniform", (), FLOATS), ("normal", (), FLOATS), ("truncated_normal", (-1.0, 2.0), FLOATS),
    ("exponential", (), FLOATS), ("gumbel", (), FLOATS), ("laplace", (), FLOATS),
    ("logistic", (), FLOATS), ("lognormal", (0.7,), FLOATS), ("pareto", (3.0,), FLOATS),
    ("rayleigh", (2.0,), FLOATS), ("maxwell", (), FLOATS),
    ("double_sided_maxwell", (1.5, 2.0), FLOATS), ("triangular", (0.0, 0.3, 1.0), FLOATS),
    ("wald", (1.5,), FLOATS), ("cauchy", (), FLOATS), ("weibull_min", (2.0, 1.5), FLOATS),
    ("gamma", (0.3,), FLOATS), ("gamma", (4.5,), FLOATS), ("loggamma", (0.2,), FLOATS),
    ("beta", (0.5, 2.0), FLOATS), ("chisquare", (3.0,), FLOATS), ("f", (3.0, 7.0), FLOATS),
    ("t", (4.0,), FLOATS), ("generalized_normal", (1.5,), FLOATS),
    ("binomial", (40.0, 0.3), ("float32",)), ("binomial", (1000.0, 0.7), ("float32",)),
]
INTS = [("randint", (0, 1000)), ("bernoulli", (0.3,)), ("geometric", (0.3,)),
        ("poisson", (3.5,)), ("poisson", (40.0,)),
        ("rademacher", ()), ("permutation", ()), ("choice", ()), ("categorical", ())]


def ulps(a: np.ndarray, b: np.ndarray) -> int:
    """Largest distance in representable values (same-sign ordering)."""
    bits = 8 * a.dtype.itemsize
    ia = a.view(f"i{a.dtype.itemsize}").astype(np.int64)
    ib = b.view(f"i{b.dtype.itemsize}").astype(np.int64)
    sign = np.int64(1) << (bits - 1)
    ia = np.where(ia < 0, -(ia + sign), ia)
    ib = np.where(ib < 0, -(ib + sign), ib)
    return int(np.abs(ia - ib).max()) if a.size else 0


def call(lib, name, key, params, n, dtype):
    fn = getattr(lib, name)
    if name == "permutation":
        return fn(key, n)
    if name == "choice":
        return fn(key, 1000, (n,))
    if name == "categorical":
        return fn(key, np.log(np.linspace(0.1, 1.0, 10, dtype=np.float32)), shape=(n,))
    if name == "rademacher":
        return fn(key, (n,))
    if name == "bernoulli":
        return fn(key, *params, (n,))
    if name in ("randint",):
        return fn(key, (n,), *params)
    if name in ("uniform", "normal", "exponential", "gumbel", "laplace", "logistic",
                "maxwell", "double_sided_maxwell", "cauchy") and not params:
        return fn(key, (n,), dtype)
    if name in ("double_sided_maxwell", "weibull_min"):
        return fn(key, *params, (n,), dtype)
    if name == "poisson":
        return fn(key, *params, (n,))
    return fn(key, *params, shape=(n,), dtype=dtype)


def main() -> None:
    import jax
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10**6)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    n = args.n
    rows = ["| function | dtype | mode | differ | max ulp |", "|---|---|---|---:|---:|"]
    jobs = [(name, params, dt) for name, params, dts in CASES for dt in dts]
    jobs += [(name, params, None) for name, params in INTS]
    for name, params, dt in jobs:
        for mode in ("partitionable", "legacy"):
            x64 = dt == "float64"
            jax.config.update("jax_threefry_partitionable", mode == "partitionable")
            jax.config.update("jax_enable_x64", x64)
            with jr.threefry_partitionable(mode == "partitionable"), jr.enable_x64(x64):
                key = jr.PRNGKey(1234)
                want = np.asarray(call(jax.random, name, jax.numpy.asarray(key), params, n, dt))
                got = np.asarray(call(jr, name, key, params, n, dt))
            if want.dtype != got.dtype or want.shape != got.shape:
                rows.append(f"| {name} | {dt or want.dtype} | {mode} | dtype/shape differ "
                            f"({got.dtype} {got.shape} vs {want.dtype} {want.shape}) | |")
                continue
            if want.dtype.kind == "f" or want.dtype == ml_dtypes.bfloat16:
                differ = int((got.view(f"u{got.itemsize}") != want.view(f"u{want.itemsize}")).sum())
                worst = ulps(got, want)
            else:
                differ, worst = int((got != want).sum()), "-"
            rows.append(f"| {name} | {dt or want.dtype} | {mode} | {differ:,} of {n:,} | {worst} |")
            print(rows[-1], flush=True)
    text = (f"`python bench/jax_accuracy.py --n {n}` (jax {jax.__version__}, key "
            "PRNGKey(1234)):\n\n" + "\n".join(rows) + "\n")
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
