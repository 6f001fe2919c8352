"""keyrand.Threefry against NumPy's own bit generators, through numpy.random.Generator.

    python bench/bitgen.py [--size N] [--repeats R]

For each task (random, standard_normal, integers(0, 1000)) every bit
generator runs once per round, round-robin for R rounds, so machine noise
hits all alike; the table reports the median nanoseconds per element and the
ratio to PCG64 (NumPy's default). All calls are single-threaded: NumPy's
Generator draws one value at a time through the bit generator's function
pointers, so keyrand's thread pool plays no part.
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import keyrand as kr

BIT_GENERATORS = {
    "keyrand Threefry": lambda: kr.Threefry(kr.key(0)),
    "PCG64": lambda: np.random.PCG64(0),
    "Philox": lambda: np.random.Philox(0),
    "SFC64": lambda: np.random.SFC64(0),
}

TASKS = {
    "random(n)": lambda g, n: g.random(n),
    "standard_normal(n)": lambda g, n: g.standard_normal(n),
    "integers(0, 1000, n)": lambda g, n: g.integers(0, 1000, n),
}


def measure(size: int, repeats: int) -> dict:
    """{(task, bit generator): median ns per element}."""
    generators = {name: np.random.Generator(make()) for name, make in BIT_GENERATORS.items()}
    times = {(task, name): [] for task in TASKS for name in generators}
    for task, run in TASKS.items():
        for name, g in generators.items():  # warm-up: page in, fill buffers
            run(g, size // 10)
        for _ in range(repeats):
            for name, g in generators.items():
                t0 = time.perf_counter_ns()
                run(g, size)
                times[task, name].append((time.perf_counter_ns() - t0) / size)
    return {k: statistics.median(v) for k, v in times.items()}


def table(result: dict, size: int, repeats: int) -> str:
    names = list(BIT_GENERATORS)
    lines = [f"ns per element, median of {repeats} interleaved runs of n = {size:,} "
             f"(ratio to PCG64); kernel: {kr.simd_kernel()}, numpy {np.__version__}", "",
             "| task | " + " | ".join(names) + " |",
             "|---|" + "---|" * len(names)]
    for task in TASKS:
        base = result[task, "PCG64"]
        cells = [f"{result[task, name]:.2f} ({result[task, name] / base:.2f}x)"
                 for name in names]
        lines.append(f"| {task} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10**7)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    print(table(measure(args.size, args.repeats), args.size, args.repeats))


if __name__ == "__main__":
    main()
