"""Peak memory of large draws: the output array and nothing else.

    python bench/memory.py [--size N]

Each workload runs in a fresh interpreter (so peaks do not mix) and reports
the output size, the tracemalloc peak (NumPy allocations) and how much the
process's maximum RSS grew during the call.
"""
from __future__ import annotations

import argparse
import subprocess
import sys

CHILD = """
import resource, sys, tracemalloc
import numpy as np, keyrand as kr
n, k = {n}, kr.key(0)
draw = {{
    "bits": lambda: kr.bits((n,), key=k),
    "uniform f32": lambda: kr.uniform(shape=(n,), key=k),
    "normal f32": lambda: kr.normal((n,), key=k),
    "randint i32": lambda: kr.randint(0, 100, (n,), key=k),
    "normal f64": lambda: kr.normal((n,), np.float64, key=k),
    "jax bits u64": lambda: kr.jax.bits(k, (n // 2,), np.uint64),
}}[{workload!r}]
import keyrand.jax
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
out = draw()
peak = tracemalloc.get_traced_memory()[1]
grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(f"| {workload} | {{out.nbytes / 1e6:.1f}} | {{peak / 1e6:.1f}} | {{grew / 1e3:.1f}} |")
"""

WORKLOADS = ["bits", "uniform f32", "normal f32", "randint i32", "normal f64", "jax bits u64"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10**8)
    args = parser.parse_args()
    print(f"`python bench/memory.py --size {args.size}` (Linux: ru_maxrss in KiB)\n")
    print("| workload | output MB | tracemalloc peak MB | max RSS growth MB |")
    print("|---|---:|---:|---:|")
    for workload in WORKLOADS:
        code = CHILD.format(n=args.size, workload=workload)
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        print(result.stdout.strip() or f"| {workload} | failed: {result.stderr.strip()[-200:]} |")


if __name__ == "__main__":
    main()
