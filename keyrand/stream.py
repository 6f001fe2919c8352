"""``python -m keyrand.stream``: raw keyrand bits on standard output, for
statistical test batteries (``dieharder -g 200`` reads them from stdin).

Three streams, one per key-derivation and word layout, all from the key
``[seed >> 32, seed & 0xFFFFFFFF]`` (``kr.key(seed)``, which is also
``jax.random.PRNGKey(seed)`` for seeds below 2**32), written as little-endian
uint32 words in blocks of ``block_words`` words (default 2**20, 4 MiB):

``jax-partitionable``
    One key's stream, ``jax.random.bits(key, (n,), uint32)`` in JAX's
    partitionable Threefry mode, for any ``n``: block ``j`` is words
    ``[j * block_words, (j + 1) * block_words)`` of it, computed by random
    access (word ``i`` hashes the counter ``(i >> 32, i & 0xFFFFFFFF)``, so
    the stream runs for 2**64 words).
``mlx``
    MLX's global-key sequence: block ``j`` is the ``j``-th call of
    ``mx.random.bits((block_words,))`` after ``mx.random.seed(seed)``, that
    is ``kr.bits((block_words,), key=sub_j)`` where ``state_0 = key`` and
    ``state_{j+1}, sub_j = kr.split(state_j)``. A single key's stream in
    this "halves" layout (MLX, JAX legacy) is at most 2**32 - 2 words long,
    so an endless stream has to move from key to key.
``jax-legacy``
    Per-index keys: block ``j`` is ``jax.random.bits(fold_in(key, j),
    (block_words,), uint32)`` in JAX's legacy Threefry mode (the same halves
    layout as MLX, reached through ``fold_in`` instead of ``split``).

Example:
    >>> import numpy as np
    >>> from keyrand import jax as jr
    >>> from keyrand.stream import blocks
    >>> first = next(blocks("jax-partitionable", seed=0, block_words=8))
    >>> bool((first == jr.bits(jr.PRNGKey(0), (8,))).all())
    True
"""
from __future__ import annotations

import argparse
import itertools
import os
import sys
from collections.abc import Iterator

import numpy as np

from . import _config
from ._prng import fold_in, key, split
from ._streams import Layout, fill

LAYOUTS = ("mlx", "jax-partitionable", "jax-legacy")
BLOCK_WORDS = 1 << 20
_UINT32 = np.dtype(np.uint32)


def blocks(layout: str, seed: int = 0, block_words: int = BLOCK_WORDS,
           out: np.ndarray | None = None) -> Iterator[np.ndarray]:
    """The stream ``layout`` (see the module docstring) as an endless
    sequence of uint32 blocks of ``block_words`` words each.

    With ``out`` (a C-contiguous uint32 array of ``block_words`` words) every
    block is written into it and ``out`` itself is yielded, so a consumer
    must use each block before asking for the next.

    Example:
        >>> import keyrand as kr
        >>> from keyrand.stream import blocks
        >>> gen = blocks("mlx", seed=7, block_words=4)
        >>> kr.seed(7)
        >>> bool((next(gen) == kr.bits((4,))).all())
        True
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}; got {layout!r}")
    if not 1 <= block_words <= 1 << 31:
        raise ValueError(f"block_words must be in [1, 2**31]; got {block_words}")
    if out is not None and (out.dtype != _UINT32 or out.shape != (block_words,)
                            or not out.flags.c_contiguous):
        raise ValueError(f"out must be a C-contiguous uint32 array of shape ({block_words},)")
    for stream, block_key, start in _block_streams(layout, seed, block_words):
        yield fill(stream, block_key, (block_words,), _UINT32, block_words, start, out=out)


def _block_streams(layout: str, seed: int, block_words: int):
    """(layout, key, first word) of each block: block j is words
    [start, start + block_words) of that key's stream of block_words words
    (the partitionable stream has no length: one key, consecutive starts)."""
    root = key(seed)
    if layout == "jax-partitionable":
        for j in itertools.count():
            yield Layout.PART_U32, root, j * block_words
    elif layout == "mlx":
        state = root
        while True:
            state, sub = split(state)
            yield Layout.HALVES_WORDS, sub, 0
    else:
        for j in itertools.count():
            yield Layout.HALVES_WORDS, fold_in(root, j), 0


def write(layout: str, seed: int, nbytes: int | None, sink, block_words: int = BLOCK_WORDS) -> int:
    """Write the first ``nbytes`` bytes of the stream (all of it, forever,
    for None) to the binary file ``sink``; returns the bytes written.

    Example:
        >>> import io
        >>> from keyrand.stream import write
        >>> buf = io.BytesIO()
        >>> write("jax-legacy", 1, 10, buf, block_words=2)
        10
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}; got {layout!r}")
    if not 1 <= block_words <= 1 << 31:
        raise ValueError(f"block_words must be in [1, 2**31]; got {block_words}")
    # Only the words written are computed (and held): 10 bytes of a stream of
    # 2**31-word blocks cost 3 words, not 8 GiB.
    if nbytes == 0:
        return 0
    left = None if nbytes is None else -(-nbytes // 4)
    buffer = np.empty(block_words if left is None else min(block_words, left), dtype=_UINT32)
    written = 0
    for stream, block_key, start in _block_streams(layout, seed, block_words):
        for at in range(0, block_words, buffer.size):
            m = min(buffer.size, block_words - at)
            if left is not None:
                m = min(m, left)
                left -= m
            words = fill(stream, block_key, (m,), _UINT32, block_words, start + at,
                         out=buffer[:m])
            view = memoryview(words).cast("B")
            if nbytes is not None and written + len(view) >= nbytes:
                sink.write(view[:nbytes - written])
                return nbytes
            sink.write(view)
            written += len(view)
    return written  # unreachable: the stream never ends


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m keyrand.stream",
        description="Write raw keyrand bits (little-endian uint32 words) to stdout, "
                    "e.g. for `dieharder -a -g 200`. The streams are defined in this "
                    "module's docstring (`pydoc keyrand.stream`).")
    p.add_argument("--layout", choices=LAYOUTS, default="jax-partitionable",
                   help="key derivation and word layout (default: jax-partitionable)")
    p.add_argument("--kernel", default=None,
                   help="SIMD kernel (scalar, avx2, avx512, neon or auto; default: "
                        "KEYRAND_SIMD or the best one this CPU runs)")
    p.add_argument("--seed", type=int, default=0, help="seed of the root key (default 0)")
    p.add_argument("--bytes", type=int, default=None, metavar="N",
                   help="stop after N bytes (default: endless)")
    p.add_argument("--block-words", type=int, default=BLOCK_WORDS,
                   help=f"words per block (default {BLOCK_WORDS}); the mlx and jax-legacy "
                        "streams change key every block")
    return p


def main(argv: list[str] | None = None, sink=None) -> int:
    """The command line: parse ``argv`` (default ``sys.argv[1:]``), write the
    stream to ``sink`` (default: standard output's binary buffer); 0 on
    success, also when the reader closes the pipe early.

    Example:
        >>> import io
        >>> from keyrand.stream import main
        >>> buf = io.BytesIO()
        >>> main(["--layout", "mlx", "--bytes", "12", "--block-words", "2"], sink=buf)
        0
        >>> len(buf.getvalue())
        12
    """
    args = _parser().parse_args(argv)
    if args.bytes is not None and args.bytes < 0:
        raise SystemExit("--bytes must be non-negative")
    if not 0 <= args.seed < 1 << 64:
        raise SystemExit("--seed must be in [0, 2**64)")
    if not 1 <= args.block_words <= 1 << 31:
        raise SystemExit("--block-words must be in [1, 2**31]")
    if args.kernel is not None:
        try:
            _config.set_simd_kernel(args.kernel)
        except (ValueError, RuntimeError) as exc:
            raise SystemExit(f"--kernel: {exc}") from None
    if sink is None:
        if sys.stdout is None:  # started with stdout closed (`>&-`)
            raise SystemExit("standard output is closed: nothing to write the stream to")
        sink = sys.stdout.buffer
    try:
        write(args.layout, args.seed, args.bytes, sink, args.block_words)
        sink.flush()
    except BrokenPipeError:
        # The reader (a test battery) had enough. Point stdout at /dev/null so
        # the interpreter's final flush does not complain again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
