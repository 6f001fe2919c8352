"""How far keyrand's samplers are from MLX's, per function and dtype.

    python bench/accuracy.py [--size N] [--out FILE]

Draws N values (default 10^6) with the same key from keyrand and from the
real `mlx.core.random` (CPU), and for float64 from JAX in x64 mode (keyrand's
definition of float64), and reports, per function and dtype, how many
values differ and the largest difference in units in the last place
(distance between the two floats in the ordered list of floats of that
dtype). For multivariate_normal, whose square root of cov comes from the LAPACK
each library links, the error is given relative to the scale of float32
rounding in ``mean + z @ sqrt(cov)`` instead (ulps mean little near zero).
Needs mlx and jax (and ml_dtypes for bfloat16).
"""
from __future__ import annotations

import argparse
import platform
from pathlib import Path

import numpy as np

import keyrand as kr
from keyrand._dtypes import to_numpy_dtype


def ordinal(x: np.ndarray) -> np.ndarray:
    """Floats mapped to integers so that adjacent floats differ by 1."""
    signed = {2: np.int16, 4: np.int32, 8: np.int64}[x.dtype.itemsize]
    i = x.view(signed).astype(np.int64)
    magnitude = i & np.int64(np.iinfo(signed).max)
    return np.where(i < 0, -magnitude, magnitude)


def compare(ours: np.ndarray, theirs: np.ndarray) -> tuple[int, int]:
    """(values that differ, largest ulp distance); bools and ints count exact."""
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype, (ours.dtype, theirs.dtype)
    if ours.dtype.kind in "biu":
        differ = int((ours != theirs).sum())
        return differ, differ and int(np.abs(ours.astype(np.int64) - theirs).max())
    distance = np.abs(ordinal(ours) - ordinal(theirs))
    return int((distance != 0).sum()), int(distance.max(initial=0))


def cases(n: int):
    """(function, dtype, keyrand call, mlx call), both taking a key."""
    halves = ("float32", "float16", "bfloat16")
    for dtype in halves:
        yield "uniform", dtype, dict(low=-2.0, high=3.0, shape=(n,), dtype=dtype)
        yield "normal", dtype, dict(shape=(n,), dtype=dtype)
        yield "normal (loc=1, scale=3)", dtype, dict(shape=(n,), dtype=dtype, loc=1.0,
                                                      scale=3.0)
        yield "truncated_normal", dtype, dict(lower=-1.5, upper=2.5, shape=(n,), dtype=dtype)
        yield "gumbel", dtype, dict(shape=(n,), dtype=dtype)
        yield "laplace", dtype, dict(shape=(n,), dtype=dtype)
    # MLX computes float64 normal and laplace on the CPU (the rest raise).
    yield "normal", "float64", dict(shape=(n,), dtype="float64")
    yield "normal (loc=1, scale=3)", "float64", dict(shape=(n,), dtype="float64", loc=1.0,
                                                     scale=3.0)
    yield "laplace", "float64", dict(shape=(n,), dtype="float64")
    for dtype in ("int32", "uint8", "int64"):
        yield "randint", dtype, dict(low=-3 if dtype != "uint8" else 0, high=200,
                                     shape=(n,), dtype=dtype)
    yield "bernoulli", "bool", dict(p=0.3, shape=(n,))
    logits = np.log(np.linspace(0.1, 1, 17, dtype=np.float32))
    yield "categorical (inverse CDF)", "uint32", dict(logits=logits, shape=(n,))
    yield "categorical (Gumbel-max)", "uint32", dict(
        logits=np.broadcast_to(logits, (n // 17, 17)).copy())
    yield "permutation", "uint32", dict(x=n)
    cov = np.array([[2.0, 0.6, -0.3], [0.6, 1.0, 0.2], [-0.3, 0.2, 0.5]], np.float32)
    yield "multivariate_normal", "float32", dict(mean=np.array([1.0, -2.0, 0.5], np.float32),
                                                 cov=cov, shape=(n // 3,))


def x64_cases(n: int):
    """float64 rows where MLX has none: keyrand's definition is JAX's x64
    draws (partitionable)."""
    yield "uniform", dict(low=-2.0, high=3.0, shape=(n,)), lambda r, k: r.uniform(
        k, (n,), "float64", -2.0, 3.0)
    yield "truncated_normal", dict(lower=-1.5, upper=2.5, shape=(n,)), \
        lambda r, k: r.truncated_normal(k, -1.5, 2.5, (n,), "float64")
    yield "gumbel", dict(shape=(n,)), lambda r, k: r.gumbel(k, (n,), "float64")


def jax_rows(n: int, key: np.ndarray) -> list[str]:
    import jax

    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_threefry_partitionable", True)
    rows = []
    for fn, kwargs, ref in x64_cases(n):
        ours = getattr(kr, fn)(**kwargs, dtype=np.float64, key=key)
        theirs = np.asarray(ref(jax.random, jax.numpy.asarray(key)))
        differ, ulps = compare(ours, theirs)
        rows.append(f"| {fn} | float64 (vs JAX {jax.__version__}, x64) | {differ:,} of "
                    f"{ours.size:,} | {ulps} |")
        print(rows[-1], flush=True)
    return rows


def mlx_call(mx, fn: str, kwargs: dict, key: np.ndarray) -> np.ndarray:
    args = {}
    for name, value in kwargs.items():
        if name == "dtype":
            value = getattr(mx, value)
        elif isinstance(value, np.ndarray):
            value = mx.array(value)
        args[name] = value
    if fn == "multivariate_normal":
        args["stream"] = mx.cpu
    out = getattr(mx.random, fn)(**args, key=mx.array(key))
    mx.eval(out)
    if out.dtype == mx.bfloat16:  # NumPy cannot take bfloat16 from MLX: go through bits
        return np.array(out.view(mx.uint16)).view(to_numpy_dtype("bfloat16"))
    return np.array(out)


def mvn_error(ours: np.ndarray, theirs: np.ndarray, kwargs: dict, key) -> str:
    """Largest |difference|, absolute and in units of eps * (|mean| + |z| @ |sqrt(cov)|),
    the scale of float32 rounding in mean + z @ sqrt(cov)."""
    mean, cov = kwargs["mean"].astype(np.float64), kwargs["cov"].astype(np.float64)
    n = mean.shape[-1]
    z = kr.normal(kwargs["shape"] + (n,), key=key).astype(np.float64)  # = MLX's z, bit for bit
    w, v = np.linalg.eigh(cov)
    root = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    scale = np.abs(mean) + np.abs(z) @ np.abs(root)
    diff = np.abs(ours.astype(np.float64) - theirs)
    units = (diff / (np.finfo(np.float32).eps * scale)).max()
    return f"max abs difference {diff.max():.2g} = {units:.1f} eps x (abs(mean) + abs(z) @ abs(sqrt(cov)))"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10**6)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    import mlx.core as mx

    key = kr.key(20261125)
    lines = [
        f"# keyrand vs MLX {mx.__version__} (CPU): {args.size:,} draws per row",
        "",
        f"`python bench/accuracy.py --size {args.size}` on {platform.machine()}, "
        f"{platform.system()}, keyrand kernel `{kr.simd_kernel()}`. Same key for both "
        "libraries; ulp = distance between the two values in the ordered list of floats "
        "of the dtype. float64 rows compare with JAX in x64 mode, keyrand's definition "
        "of float64.",
        "",
        "| function | dtype | values that differ | max ulp difference |",
        "|---|---|---:|---:|",
    ]
    for label, dtype, kwargs in cases(args.size):
        fn = label.split(" ")[0]
        ours = getattr(kr, fn)(**kwargs, key=key)
        theirs = mlx_call(mx, fn, kwargs, key)
        differ, ulps = compare(ours, theirs)
        cell = f"{ulps}"
        if fn == "multivariate_normal":
            cell = mvn_error(ours, theirs, kwargs, key)
        lines.append(f"| {label} | {dtype} | {differ:,} of {ours.size:,} | {cell} |")
        print(lines[-1], flush=True)
    lines += jax_rows(args.size, key)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
