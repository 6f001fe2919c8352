"""``python -m keyrand``: the build, a few draws, and the bits throughput of
every kernel this CPU can run, on one thread and on all (a few seconds;
``--quick``: the active kernel only, well under a second)."""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

import keyrand as kr
from keyrand import jax as jr


def _throughput(kernel: str, threads: int, out: np.ndarray, repeats: int) -> float:
    """Median GB/s of bits for out.size uint32 words into a reused buffer."""
    previous = kr.simd_kernel(), kr.get_num_threads()
    kr.set_simd_kernel(kernel)
    kr.set_num_threads(threads)
    try:
        key = kr.key(0)
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            kr.bits(out.shape, key=key, out=out)
            times.append(time.perf_counter() - t0)
    finally:
        kr.set_simd_kernel(previous[0])
        kr.set_num_threads(previous[1])
    return out.nbytes / float(np.median(times)) / 1e9


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1; got {value}")
    return value


def parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m keyrand",
        description="keyrand's build and active kernel, a few draws from key(0), and the "
                    "bits throughput of every kernel this CPU runs.")
    parser.add_argument("--quick", action="store_true",
                        help="the active kernel only, 10^6 words, 3 repeats")
    parser.add_argument("--words", type=_positive, default=None,
                        help="uint32 words per timed call (default 10^7, 10^6 with --quick)")
    parser.add_argument("--repeats", type=_positive, default=None,
                        help="timed calls per kernel, the median is reported (default 5, "
                             "3 with --quick)")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse(argv)
    words = args.words or (10**6 if args.quick else 10**7)
    repeats = args.repeats or (3 if args.quick else 5)
    kr.show_config()
    k = kr.key(0)
    print("\nDraws from key(0):")
    print(f"  split(key(0))              {kr.split(k).tolist()}")
    print(f"  bits((4,), key=key(0))     {kr.bits((4,), key=k).tolist()}")
    print(f"  uniform(shape=(3,))        {kr.uniform(shape=(3,), key=k).tolist()}")
    print(f"  normal((3,))               {kr.normal((3,), key=k).tolist()}")
    print(f"  jax.bits(PRNGKey(0), (4,)) {jr.bits(jr.PRNGKey(0), (4,)).tolist()}"
          f"  (partitionable)")
    out = np.empty(words, dtype=np.uint32)
    print(f"\nThroughput, bits of {words:.0e} uint32 words into a reused buffer, "
          f"median of {repeats}:")
    kernels = [kr.simd_kernel()] if args.quick else kr.available_simd_kernels()
    for kernel in kernels:
        gbs = _throughput(kernel, 1, out, repeats)
        marker = "  <- active" if kernel == kr.simd_kernel() else ""
        print(f"  {kernel:<8} 1 thread  {gbs:7.2f} GB/s  {4 / gbs:6.3f} ns/word{marker}")
    threads = kr.get_num_threads()
    if threads > 1:
        gbs = _throughput(kr.simd_kernel(), threads, out, repeats)
        print(f"  {kr.simd_kernel():<8} {threads} threads {gbs:7.2f} GB/s  {4 / gbs:6.3f} ns/word")
    sys.stdout.flush()


def run() -> None:
    """main(), ending quietly when the reader of stdout goes away (`| head`)."""
    try:
        main()
    except BrokenPipeError:
        # Python would report the pipe again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    run()
