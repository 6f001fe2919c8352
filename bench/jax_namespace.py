"""keyrand.jax against jax.random (jit, CPU) on the same draws, in one run.

    python bench/jax_namespace.py [--rounds R] [--out FILE]

For uniform, normal and randint at 10^3, 10^6 and 10^7 float32 / int32
elements, both libraries draw from the same key in JAX's default
(partitionable) mode; entries run round-robin for R rounds, and the table
reports the median ns per element, keyrand on 1 thread and on all threads,
and JAX's time over keyrand's. JAX entries are jitted per shape (compiled
before timing) and include ``block_until_ready``; keyrand allocates a fresh
NumPy array every call.
"""
from __future__ import annotations

import argparse
import platform
import statistics
import time
from pathlib import Path


import keyrand as kr
from keyrand import jax as jr

SIZES = (10**3, 10**6, 10**7)


def workloads(n: int) -> dict:
    k = jr.PRNGKey(0)
    out = {
        "uniform": (lambda: jr.uniform(k, (n,)), "uniform"),
        "normal": (lambda: jr.normal(k, (n,)), "normal"),
        "randint": (lambda: jr.randint(k, (n,), 0, 1000), "randint"),
    }
    import jax
    jk = jax.numpy.asarray(k)
    compiled = {
        "uniform": jax.jit(lambda key: jax.random.uniform(key, (n,))),
        "normal": jax.jit(lambda key: jax.random.normal(key, (n,))),
        "randint": jax.jit(lambda key: jax.random.randint(key, (n,), 0, 1000)),
    }
    entries = {}
    for name, (fn, _) in out.items():
        f = compiled[name]
        f(jk).block_until_ready()
        entries[(name, "jax")] = lambda f=f: f(jk).block_until_ready()
        entries[(name, "keyrand 1 thread")] = ("threads", 1, fn)
        entries[(name, "keyrand all threads")] = ("threads", 0, fn)
    return entries


def run(rounds: int) -> list[str]:
    default_threads = kr.get_num_threads()
    rows = ["| workload | elements | keyrand 1 thread | keyrand all threads | jax jit | "
            "jax / keyrand (1 thread) |", "|---|---:|---:|---:|---:|---:|"]
    for n in SIZES:
        entries = workloads(n)
        reps = max(1, 3 * 10**6 // n)
        times = {name: [] for name in entries}
        for _ in range(rounds):
            for name, entry in entries.items():
                if isinstance(entry, tuple):
                    kr.set_num_threads(entry[1] or default_threads)
                    call = entry[2]
                else:
                    call = entry
                t0 = time.perf_counter()
                for _ in range(reps):
                    call()
                times[name].append((time.perf_counter() - t0) / reps / n * 1e9)
        kr.set_num_threads(default_threads)
        for w in ("uniform", "normal", "randint"):
            one, many, jx = (statistics.median(times[(w, c)]) for c in
                             ("keyrand 1 thread", "keyrand all threads", "jax"))
            rows.append(f"| {w} | {n:,} | {one:.2f} | {many:.2f} | {jx:.2f} | {jx / one:.1f}x |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    import jax
    head = (f"`python bench/jax_namespace.py --rounds {args.rounds}` on {platform.machine()}, "
            f"keyrand kernel `{kr.simd_kernel()}`, {kr.get_num_threads()} threads, "
            f"jax {jax.__version__}; ns per element, median of {args.rounds} interleaved "
            "rounds.\n")
    text = head + "\n" + "\n".join(run(args.rounds)) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
