"""``python -m keyrand``: the build, a few draws, and the bits throughput of
every kernel this CPU can run, on one thread and on all (a few seconds)."""
from __future__ import annotations

import time

import numpy as np

import keyrand as kr
from keyrand import jax as jr

WORDS = 10_000_000
REPEATS = 5


def _throughput(kernel: str, threads: int, out: np.ndarray) -> float:
    """Median GB/s of bits for WORDS uint32 words into a reused buffer."""
    previous = kr.simd_kernel(), kr.get_num_threads()
    kr.set_simd_kernel(kernel)
    kr.set_num_threads(threads)
    try:
        key = kr.key(0)
        times = []
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            kr.bits((WORDS,), key=key, out=out)
            times.append(time.perf_counter() - t0)
    finally:
        kr.set_simd_kernel(previous[0])
        kr.set_num_threads(previous[1])
    return out.nbytes / float(np.median(times)) / 1e9


def main() -> None:
    kr.show_config()
    k = kr.key(0)
    print("\nDraws from key(0):")
    print(f"  split(key(0))              {kr.split(k).tolist()}")
    print(f"  bits((4,), key=key(0))     {kr.bits((4,), key=k).tolist()}")
    print(f"  uniform(shape=(3,))        {kr.uniform(shape=(3,), key=k).tolist()}")
    print(f"  normal((3,))               {kr.normal((3,), key=k).tolist()}")
    print(f"  jax.bits(PRNGKey(0), (4,)) {jr.bits(jr.PRNGKey(0), (4,)).tolist()}"
          f"  (partitionable)")
    out = np.empty(WORDS, dtype=np.uint32)
    print(f"\nThroughput, bits of {WORDS:.0e} uint32 words into a reused buffer, "
          f"median of {REPEATS}:")
    for kernel in kr.available_simd_kernels():
        gbs = _throughput(kernel, 1, out)
        marker = "  <- active" if kernel == kr.simd_kernel() else ""
        print(f"  {kernel:<8} 1 thread  {gbs:7.2f} GB/s  {4 / gbs:6.3f} ns/word{marker}")
    threads = kr.get_num_threads()
    if threads > 1:
        gbs = _throughput(kr.simd_kernel(), threads, out)
        print(f"  {kr.simd_kernel():<8} {threads} threads {gbs:7.2f} GB/s  {4 / gbs:6.3f} ns/word")


if __name__ == "__main__":
    main()
