"""keyrand's benchmark suite: the field side by side, in one run.

    python bench/run.py [--sizes 1,100,10000,1000000,10000000] [--rounds R]
                        [--workloads bits,uniform,normal,randint,bernoulli]
                        [--save | --out FILE.md --plot FILE.png]

For each workload (32-bit bits, float32 uniform, float32 normal, int32 randint
in [0, 100), bernoulli(0.3)) and each size, every entry produces that many
elements into a fresh array. Entries of one (workload, size) group run
round-robin for R rounds, so machine noise hits all of them alike; the tables
report the median ns per element, GB/s of output and the time relative to
keyrand on one thread. keyrand runs on 1 thread and on all of the CPUs it may
use; torch follows the same thread setting, the others run as they do by
default. `np.ones` of the same size is the cost of writing a fresh array at
all. Libraries that are not installed are listed as such. Small sizes time a
batch of calls (at least ~2 ms per measurement).
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import re
import statistics
import time
from pathlib import Path

import numpy as np

import keyrand as kr
from keyrand import jax as jr

WORKLOADS = ("bits", "uniform", "normal", "randint", "bernoulli")
OUT_BYTES = {"bits": 4, "uniform": 4, "normal": 4, "randint": 4, "bernoulli": 1}
P = 0.3


def keyrand_entries(workload: str, n: int, threads: int) -> dict:
    key = kr.key(0)
    draw = {
        "bits": lambda: kr.bits((n,), key=key),
        "uniform": lambda: kr.uniform(shape=(n,), key=key),
        "normal": lambda: kr.normal((n,), key=key),
        "randint": lambda: kr.randint(0, 100, (n,), key=key),
        "bernoulli": lambda: kr.bernoulli(P, (n,), key=key),
    }[workload]

    def on(count):
        def run():
            kr.set_num_threads(count)
            return draw()
        return run
    entries = {f"keyrand [{kr.simd_kernel()}, 1 thread]": on(1)}
    if threads > 1:
        entries[f"keyrand [{kr.simd_kernel()}, {threads} threads]"] = on(threads)
    if workload == "bits":
        entries["keyrand.jax bits [partitionable, 1 thread]"] = \
            lambda: (kr.set_num_threads(1), jr.bits(key, (n,)))
    return entries


def numpy_entries(workload: str, n: int) -> dict:
    entries = {}
    for name in ("PCG64", "Philox", "SFC64"):
        gen = np.random.Generator(getattr(np.random, name)(0))
        entries[f"numpy {name}"] = {
            "bits": lambda g=gen: g.bit_generator.random_raw(-(-n // 2)),
            "uniform": lambda g=gen: g.random(n, dtype=np.float32),
            "normal": lambda g=gen: g.standard_normal(n, dtype=np.float32),
            "randint": lambda g=gen: g.integers(0, 100, n, dtype=np.int32),
            "bernoulli": lambda g=gen: g.random(n, dtype=np.float32) < P,
        }[workload]
    dtype = np.bool_ if workload == "bernoulli" else np.float32
    entries["np.ones (memory write)"] = lambda: np.ones(n, dtype)
    return entries


def randomgen_entries(workload: str, n: int) -> dict:
    if importlib.util.find_spec("randomgen") is None:
        return {"randomgen ThreeFry": None}
    import randomgen
    bg = randomgen.ThreeFry(0, number=2, width=32)
    gen = np.random.Generator(bg)
    return {"randomgen ThreeFry2x32": {
        "bits": lambda: bg.random_raw(-(-n // 2)),
        "uniform": lambda: gen.random(n, dtype=np.float32),
        "normal": lambda: gen.standard_normal(n, dtype=np.float32),
        "randint": lambda: gen.integers(0, 100, n, dtype=np.int32),
        "bernoulli": lambda: gen.random(n, dtype=np.float32) < P,
    }[workload]}


def jax_entries(workload: str, n: int) -> dict:
    if importlib.util.find_spec("jax") is None:
        return {"jax (jit)": None}
    import jax
    import jax.numpy as jnp
    body = {
        "bits": lambda k: jax.random.bits(k, (n,), jnp.uint32),
        "uniform": lambda k: jax.random.uniform(k, (n,), jnp.float32),
        "normal": lambda k: jax.random.normal(k, (n,), jnp.float32),
        "randint": lambda k: jax.random.randint(k, (n,), 0, 100, jnp.int32),
        "bernoulli": lambda k: jax.random.bernoulli(k, P, (n,)),
    }[workload]
    key = jax.random.PRNGKey(0)
    entries = {}
    for partitionable in (True, False):
        fn = jax.jit(body)

        def run(fn=fn, partitionable=partitionable):
            jax.config.update("jax_threefry_partitionable", partitionable)
            return np.asarray(fn(key).block_until_ready())
        entries[f"jax (jit, {'partitionable' if partitionable else 'legacy'})"] = run
    return entries


def mlx_entries(workload: str, n: int) -> dict:
    if importlib.util.find_spec("mlx") is None:
        return {"mlx (cpu)": None}
    import mlx.core as mx
    mx.set_default_device(mx.cpu)
    key = mx.random.key(0)
    body = {
        "bits": lambda: mx.random.randint(0, 2**31 - 1, (n,), key=key),
        "uniform": lambda: mx.random.uniform(shape=(n,), key=key),
        "normal": lambda: mx.random.normal((n,), key=key),
        "randint": lambda: mx.random.randint(0, 100, (n,), key=key),
        "bernoulli": lambda: mx.random.bernoulli(P, (n,), key=key),
    }[workload]

    def run():
        out = body()
        mx.eval(out)
        return np.array(out, copy=False)
    label = "mlx randint (no bits in Python)" if workload == "bits" else "mlx (cpu)"
    return {label: run}


def torch_entries(workload: str, n: int, threads: int) -> dict:
    if importlib.util.find_spec("torch") is None:
        return {"torch (cpu)": None}
    import torch
    gen = torch.Generator().manual_seed(0)
    body = {
        "bits": lambda: torch.randint(-2**31, 2**31 - 1, (n,), dtype=torch.int32, generator=gen),
        "uniform": lambda: torch.rand(n, generator=gen),
        "normal": lambda: torch.randn(n, generator=gen),
        "randint": lambda: torch.randint(0, 100, (n,), dtype=torch.int32, generator=gen),
        "bernoulli": lambda: torch.rand(n, generator=gen) < P,
    }[workload]
    entries = {}
    for count in sorted({1, threads}):
        def run(count=count):
            torch.set_num_threads(count)
            return body().numpy()
        entries[f"torch (cpu, {count} thread{'s' if count > 1 else ''})"] = run
    return entries


def entries_for(workload: str, n: int, threads: int) -> dict:
    entries = {}
    entries.update(keyrand_entries(workload, n, threads))
    entries.update(numpy_entries(workload, n))
    entries.update(randomgen_entries(workload, n))
    entries.update(jax_entries(workload, n))
    entries.update(mlx_entries(workload, n))
    entries.update(torch_entries(workload, n, threads))
    return entries


def measure(entries: dict, n: int, rounds: int) -> dict:
    """Median seconds per call of each runnable entry, interleaved."""
    runnable = {name: fn for name, fn in entries.items() if fn is not None}
    calls = {}
    for name, fn in runnable.items():  # warm up (jit compilation) and size the batches
        fn()
        t0 = time.perf_counter()
        fn()
        once = max(time.perf_counter() - t0, 1e-7)
        calls[name] = max(1, min(10_000, int(2e-3 / once)))
    times = {name: [] for name in runnable}
    for _ in range(rounds):
        for name, fn in runnable.items():
            t0 = time.perf_counter()
            for _ in range(calls[name]):
                fn()
            times[name].append((time.perf_counter() - t0) / calls[name])
    return {name: statistics.median(t) for name, t in times.items()}


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def table(workload: str, n: int, entries: dict, medians: dict) -> list[str]:
    ref = medians[f"keyrand [{kr.simd_kernel()}, 1 thread]"]
    lines = [f"### {workload}, {n:,} elements", "",
             "| entry | ns/element | GB/s | time / keyrand 1 thread |", "|---|---:|---:|---:|"]
    for name in entries:
        if name not in medians:
            lines.append(f"| {name} | not installed | | |")
            continue
        t = medians[name]
        lines.append(f"| {name} | {t / n * 1e9:.3f} | {OUT_BYTES[workload] * n / t / 1e9:.2f} "
                     f"| {t / ref:.2f} |")
    return lines + [""]


def plot(results: dict, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    workloads = list(results)
    fig, axes = plt.subplots(1, len(workloads), figsize=(5 * len(workloads), 4.5), squeeze=False)
    for ax, workload in zip(axes[0], workloads):
        sizes = sorted(results[workload])
        names = list(dict.fromkeys(name for n in sizes for name in results[workload][n]))
        for name in names:
            xs = [n for n in sizes if name in results[workload][n]]
            ax.loglog(xs, [results[workload][n][name] for n in xs], marker="o", markersize=3,
                      label=name, linewidth=2.5 if name.startswith("keyrand [") else 1)
        ax.set_title(workload)
        ax.set_xlabel("elements")
        ax.set_ylabel("seconds per call")
        ax.grid(True, which="both", alpha=0.3)
    axes[0][-1].legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1))
    fig.suptitle(f"keyrand vs the field on {cpu_name()} (lower is better)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100,10000,1000000,10000000")
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--out", type=Path, help="write the tables (markdown) here")
    parser.add_argument("--plot", type=Path, help="write a log-log plot (PNG) here")
    parser.add_argument("--save", action="store_true",
                        help="write both to bench/results/<cpu>.md and .png")
    args = parser.parse_args()
    if args.save:
        base = Path(__file__).resolve().parent / "results" / default_name()
        args.out, args.plot = base.with_suffix(".md"), base.with_suffix(".png")
    sizes = [int(s) for s in args.sizes.split(",")]
    threads = kr.get_num_threads()
    lines = [
        f"# keyrand benchmarks on {cpu_name()}", "",
        f"`python bench/run.py --sizes {args.sizes} --rounds {args.rounds}`: keyrand "
        f"{kr.__version__}, kernel {kr.simd_kernel()}, {threads} CPUs available "
        f"({os.cpu_count()} in the machine); numpy {np.__version__}; Python "
        f"{platform.python_version()}. Median of {args.rounds} interleaved rounds; "
        "every call allocates its output.", "",
    ]
    results = {}
    for workload in args.workloads.split(","):
        results[workload] = {}
        lines.append(f"## {workload}")
        lines.append("")
        for n in sizes:
            entries = entries_for(workload, n, threads)
            medians = measure(entries, n, args.rounds)
            results[workload][n] = medians
            lines += table(workload, n, entries, medians)
            print("\n".join(table(workload, n, entries, medians)), flush=True)
    kr.set_num_threads(threads)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(lines))
    if args.plot:
        plot(results, args.plot)


def default_name() -> str:
    """bench/results/<cpu>, from the CPU's model name."""
    return re.sub(r"[^a-z0-9]+", "-", cpu_name().lower()).strip("-")


if __name__ == "__main__":
    main()
