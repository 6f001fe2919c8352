"""Per-call cost of small requests, side by side with the field, in one run.

    python bench/overhead.py [--calls C] [--rounds R] [--out FILE]

Each entry makes one small draw (one element, or one split). Entries run
round-robin for R rounds of C calls each, so machine noise hits all alike;
the table reports the median microseconds per call and the ratio to NumPy's
``Generator.random(1)``. MLX entries include ``mx.eval`` (MLX is lazy: without
it nothing is computed); JAX entries are jitted and include
``block_until_ready``. Libraries that are not installed are listed as such.
"""
from __future__ import annotations

import argparse
import importlib.util
import platform
import statistics
import time
from pathlib import Path

import numpy as np

import keyrand as kr


def entries() -> dict:
    key = kr.key(0)
    gen = np.random.default_rng(0)
    out = {
        "numpy Generator.random(1)": lambda: gen.random(1),
        "numpy ufunc add on 1 element": (lambda a=np.ones(1): np.add(a, a)),
        "keyrand uniform(shape=(1,), key=k)": lambda: kr.uniform(shape=(1,), key=key),
        "keyrand normal(shape=(1,), key=k)": lambda: kr.normal((1,), key=key),
        "keyrand uniform(shape=(1,)) [global key]": lambda: kr.uniform(shape=(1,)),
        "keyrand split(k)": lambda: kr.split(key),
        "keyrand.jax split(k)": (lambda jr=__import__("keyrand.jax").jax: jr.split(key)),
    }
    if importlib.util.find_spec("mlx"):
        import mlx.core as mx
        mkey = mx.array(key)
        out["mlx uniform(shape=(1,)) + eval"] = lambda: mx.eval(
            mx.random.uniform(shape=(1,), key=mkey))
        out["mlx normal(shape=(1,)) + eval"] = lambda: mx.eval(mx.random.normal((1,), key=mkey))
        out["mlx split + eval"] = lambda: mx.eval(mx.random.split(mkey))
    else:
        out["mlx"] = None
    if importlib.util.find_spec("jax"):
        import jax
        jkey = jax.numpy.asarray(key)
        uniform = jax.jit(lambda k: jax.random.uniform(k, (1,)))
        split = jax.jit(jax.random.split)
        out["jax uniform(k, (1,)) jit"] = lambda: uniform(jkey).block_until_ready()
        out["jax split(k) jit"] = lambda: split(jkey).block_until_ready()
    else:
        out["jax"] = None
    if importlib.util.find_spec("torch"):
        import torch
        g = torch.Generator().manual_seed(0)
        out["torch rand(1)"] = lambda: torch.rand(1, generator=g)
    else:
        out["torch"] = None
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    todo = entries()
    runnable = {name: f for name, f in todo.items() if f is not None}
    for f in runnable.values():  # warm up: imports, jit compilation, caches
        for _ in range(50):
            f()
    times = {name: [] for name in runnable}
    for _ in range(args.rounds):
        for name, f in runnable.items():
            t0 = time.perf_counter()
            for _ in range(args.calls):
                f()
            times[name].append((time.perf_counter() - t0) / args.calls * 1e6)
    base = statistics.median(times["numpy Generator.random(1)"])
    lines = [
        "# Per-call overhead of small requests",
        "",
        f"`python bench/overhead.py --calls {args.calls} --rounds {args.rounds}` on "
        f"{platform.machine()} {platform.system()}, Python {platform.python_version()}, "
        f"keyrand kernel `{kr.simd_kernel()}`; median of {args.rounds} interleaved rounds.",
        "",
        "| entry | µs per call | vs NumPy random(1) |",
        "|---|---:|---:|",
    ]
    for name in todo:
        if todo[name] is None:
            lines.append(f"| {name} | not installed | |")
            continue
        med = statistics.median(times[name])
        lines.append(f"| {name} | {med:.2f} | {med / base:.2f}x |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)


if __name__ == "__main__":
    main()
