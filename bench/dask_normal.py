"""keyrand.dask.normal(...).mean() against dask's own NumPy-backed generator
on a local cluster of worker processes, same run, interleaved repeats.

    python bench/dask_normal.py [--size 2e9] [--chunk 2.5e7] [--workers 2] [--rounds 3]

Each worker runs one task at a time with one keyrand thread, so both
generators get one core per worker. float32 output (keyrand's and
NumPy's standard_normal(dtype=float32)); the mean reduces each chunk where
it was made, so the timing is generation plus a sum."""
import argparse
import statistics
import time

import dask.array as da
import numpy as np
from dask.distributed import Client, LocalCluster

import keyrand as kr


def keyrand_mean(n, chunk, seed):
    return kr.dask.normal((n,), key=kr.key(seed), chunks=chunk).mean()


def dask_mean(n, chunk, seed):
    rng = da.random.default_rng(seed)
    return rng.standard_normal((n,), chunks=chunk, dtype=np.float32).mean()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=2e9)
    parser.add_argument("--chunk", type=float, default=2.5e7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    n, chunk = int(args.size), int(args.chunk)
    contenders = {"keyrand.dask.normal": keyrand_mean,
                  "dask default_rng().standard_normal": dask_mean}
    times = {name: [] for name in contenders}
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                      dashboard_address=None, env={"KEYRAND_NUM_THREADS": "1"}) as cluster, \
            Client(cluster) as client:
        for r in range(args.rounds + 1):  # round 0 warms the workers up
            for name, make in contenders.items():
                lazy = make(n if r else chunk, chunk, r)
                t0 = time.perf_counter()
                value = float(client.compute(lazy).result())
                if r:
                    times[name].append(time.perf_counter() - t0)
                    print(f"round {r} {name}: {times[name][-1]:.2f} s (mean {value:+.2e})")
    print(f"\n{n:.3g} float32 normals, chunks of {chunk:.3g}, {args.workers} worker processes "
          f"x 1 thread, median of {args.rounds} interleaved rounds:")
    base = statistics.median(times["dask default_rng().standard_normal"])
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"  {name:38s} {med:7.2f} s  {med / n * 1e9 * args.workers:6.2f} ns/element/core"
              f"  {base / med:5.2f}x")


if __name__ == "__main__":
    main()
