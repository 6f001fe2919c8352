"""keyrand benchmarks, side by side with the field, in one run.

    python bench/run.py [--size N] [--repeats R] [--out FILE]

Each entry produces N random 32-bit words (or the closest thing a library
offers) into a fresh array, unless its name says "reused". Entries are run
round-robin, R rounds, so machine noise hits all of them alike; the table
reports the median per entry, ns per 32-bit word, GB/s and the ratio to the
active keyrand kernel. Libraries that are not installed are listed as such.
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
from keyrand import jax as jr


def keyrand_entries(n: int) -> dict:
    key = kr.key(0)
    entries = {}
    for kernel in kr.available_simd_kernels():
        def run(kernel=kernel):
            previous = kr.simd_kernel()
            kr.set_simd_kernel(kernel)
            try:
                t0 = time.perf_counter()
                kr.bits((n,), key=key)
                return time.perf_counter() - t0
            finally:
                kr.set_simd_kernel(previous)
        entries[f"keyrand bits [{kernel}]"] = run
    reused = np.empty(n, np.uint32)

    def run_reused():
        t0 = time.perf_counter()
        kr.bits((n,), key=key, out=reused)
        return time.perf_counter() - t0
    entries[f"keyrand bits [{kr.simd_kernel()}, reused buffer]"] = run_reused
    for partitionable in (True, False):
        mode = "partitionable" if partitionable else "legacy"

        def run_jax_mode(partitionable=partitionable):
            with jr.threefry_partitionable(partitionable):
                t0 = time.perf_counter()
                jr.bits(jr.PRNGKey(0), (n,))
                return time.perf_counter() - t0
        entries[f"keyrand.jax bits [{mode}]"] = run_jax_mode
    return entries


def numpy_entries(n: int) -> dict:
    pcg = np.random.PCG64(0)
    gen = np.random.Generator(np.random.PCG64(0))

    def raw():  # n/2 64-bit outputs = n 32-bit words
        t0 = time.perf_counter()
        pcg.random_raw(n // 2)
        return time.perf_counter() - t0

    def integers():
        t0 = time.perf_counter()
        gen.integers(0, 2**32, size=n, dtype=np.uint32)
        return time.perf_counter() - t0

    def ones():  # the cost of writing a fresh array at all
        t0 = time.perf_counter()
        np.ones(n, np.uint32)
        return time.perf_counter() - t0
    return {"numpy PCG64 random_raw": raw, "numpy PCG64 integers(uint32)": integers,
            "numpy ones (memory write)": ones}


def randomgen_entries(n: int) -> dict:
    if importlib.util.find_spec("randomgen") is None:
        return {"randomgen ThreeFry": None}
    import randomgen
    bg = randomgen.ThreeFry(0, number=2, width=32)

    def raw():
        t0 = time.perf_counter()
        bg.random_raw(n // 2)
        return time.perf_counter() - t0
    return {"randomgen ThreeFry2x32 random_raw": raw}


def jax_entries(n: int) -> dict:
    if importlib.util.find_spec("jax") is None:
        return {"jax.random.bits (jit)": None}
    import jax
    entries = {}
    for partitionable in (True, False):
        jax.config.update("jax_threefry_partitionable", partitionable)
        fn = jax.jit(lambda k: jax.random.bits(k, (n,), jax.numpy.uint32))
        key = jax.random.PRNGKey(0)
        fn(key).block_until_ready()

        def run(fn=fn, key=key):
            t0 = time.perf_counter()
            np.asarray(fn(key).block_until_ready())
            return time.perf_counter() - t0
        mode = "partitionable" if partitionable else "legacy"
        entries[f"jax.random.bits (jit, {mode})"] = run
    jax.config.update("jax_threefry_partitionable", True)
    return entries


def torch_entries(n: int) -> dict:
    if importlib.util.find_spec("torch") is None:
        return {"torch randint": None}
    import torch

    def run():
        t0 = time.perf_counter()
        torch.randint(-2**31, 2**31 - 1, (n,), dtype=torch.int32).numpy()
        return time.perf_counter() - t0
    return {"torch randint(int32)": run}


def measure(entries: dict, repeats: int) -> dict:
    times = {name: [] for name, fn in entries.items() if fn is not None}
    for name in times:  # warm-up
        entries[name]()
    for _ in range(repeats):
        for name in times:
            times[name].append(entries[name]())
    return {name: statistics.median(t) for name, t in times.items()}


def report(entries: dict, medians: dict, n: int, repeats: int) -> str:
    ref_name = f"keyrand bits [{kr.simd_kernel()}]"
    ref = medians[ref_name]
    lines = [
        f"# bits: {n:.0e} 32-bit words, 1 thread, median of {repeats} interleaved rounds",
        "",
        f"CPU: {cpu_name()}; keyrand {kr.__version__}, kernel {kr.simd_kernel()}; "
        f"numpy {np.__version__}; python {platform.python_version()}",
        "",
        "| entry | ns/word | GB/s | time / keyrand |",
        "|---|---:|---:|---:|",
    ]
    for name in entries:
        if name not in medians:
            lines.append(f"| {name} | not installed | | |")
            continue
        t = medians[name]
        lines.append(f"| {name} | {t / n * 1e9:.3f} | {4 * n / t / 1e9:.2f} | {t / ref:.2f} |")
    return "\n".join(lines) + "\n"


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    entries = {}
    for group in (keyrand_entries, numpy_entries, randomgen_entries, jax_entries, torch_entries):
        entries.update(group(args.size))
    table = report(entries, measure(entries, args.repeats), args.size, args.repeats)
    print(table)
    if args.out:
        args.out.write_text(table)


if __name__ == "__main__":
    main()
