"""python -m keyrand.stream writes exactly the streams its docstring defines,
each checked against the public API computing the same words another way."""
import os
import subprocess
import sys

import numpy as np
import pytest

import keyrand as kr
from keyrand import jax as jr
from keyrand.stream import blocks

from conftest import env_with_path

M = 1000  # words per block in these tests


def _first(layout, seed, count, block_words=M):
    gen = blocks(layout, seed, block_words)
    return [next(gen).copy() for _ in range(count)]


@pytest.mark.parametrize("seed", [0, 12345, 2**40 + 7])
def test_partitionable_blocks_are_one_keys_stream(seed):
    got = np.concatenate(_first("jax-partitionable", seed, 3))
    with jr.threefry_partitionable(True):
        want = jr.bits(kr.key(seed), (3 * M,), np.uint32)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("seed", [0, 12345])
def test_mlx_blocks_are_the_global_key_sequence(seed):
    got = _first("mlx", seed, 3)
    kr.seed(seed)
    want = [kr.bits((M,)) for _ in range(3)]
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)


@pytest.mark.parametrize("seed", [0, 12345])
def test_legacy_blocks_are_fold_in_children(seed):
    got = _first("jax-legacy", seed, 3)
    root = jr.PRNGKey(seed)
    with jr.threefry_partitionable(False):
        want = [jr.bits(jr.fold_in(root, j), (M,), np.uint32) for j in range(3)]
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)


def test_streams_differ_from_each_other():
    a, b, c = (_first(layout, 0, 1)[0] for layout in ("mlx", "jax-partitionable", "jax-legacy"))
    assert (a != b).mean() > 0.99 and (a != c).mean() > 0.99 and (b != c).mean() > 0.99


def test_out_buffer_is_reused_and_checked():
    buf = np.empty(M, np.uint32)
    gen = blocks("jax-partitionable", 0, M, out=buf)
    first = next(gen)
    assert first is buf
    with pytest.raises(ValueError, match="out must be"):
        next(blocks("mlx", 0, M, out=np.empty(M + 1, np.uint32)))
    with pytest.raises(ValueError, match="layout must be one of"):
        next(blocks("pcg", 0, M))


def _cli(*args, **kwargs):
    env = env_with_path()
    return subprocess.run([sys.executable, "-m", "keyrand.stream", *args], capture_output=True,
                          env=env, timeout=120, **kwargs)


@pytest.mark.parametrize("layout", ["mlx", "jax-partitionable", "jax-legacy"])
def test_cli_writes_the_stream_bytes(layout):
    n = 2 * M * 4 + 10  # two blocks and a piece of the third
    out = _cli("--layout", layout, "--seed", "5", "--bytes", str(n), "--block-words", str(M))
    assert out.returncode == 0, out.stderr
    want = np.concatenate(_first(layout, 5, 3)).astype("<u4").tobytes()[:n]
    assert out.stdout == want


def test_cli_kernels_give_the_same_bytes():
    outs = {k: _cli("--kernel", k, "--bytes", "100000").stdout for k in kr.available_simd_kernels()}
    assert len(set(outs.values())) == 1 and len(outs["scalar"]) == 100000


def test_cli_stops_quietly_when_the_reader_closes_the_pipe():
    env = env_with_path()
    proc = subprocess.Popen([sys.executable, "-m", "keyrand.stream"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    head = proc.stdout.read(1 << 16)
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert len(head) == 1 << 16
    assert proc.returncode == 0 and err == b""


@pytest.mark.skipif(os.name != "posix", reason="closes fd 1 in the child (POSIX preexec_fn)")
def test_cli_with_stdout_closed_says_so():
    """`python -m keyrand.stream >&-`: a clear message, not an AttributeError."""
    proc = subprocess.run([sys.executable, "-m", "keyrand.stream", "--bytes", "4"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env_with_path(),
                          timeout=60, close_fds=True,
                          preexec_fn=lambda: os.close(1))
    assert proc.returncode == 1
    assert b"standard output is closed" in proc.stderr and b"Traceback" not in proc.stderr


def test_cli_rejects_bad_arguments():
    assert _cli("--layout", "pcg").returncode == 2
    assert _cli("--bytes", "-1").returncode != 0
    assert _cli("--kernel", "sse9", "--bytes", "4").returncode != 0
    bad_block = _cli("--block-words", "0")
    assert bad_block.returncode != 0 and b"--block-words" in bad_block.stderr
    assert b"Traceback" not in bad_block.stderr


def test_a_short_stream_of_huge_blocks_computes_only_its_words():
    """--bytes 10 with 2**31-word blocks: three words, not an 8 GiB block; they
    are the first words of the block's stream (kr.block computes the same
    words of that 2**31-word stream independently)."""
    import io
    import tracemalloc

    import keyrand as kr
    from keyrand.stream import write
    buf = io.BytesIO()
    tracemalloc.start()
    write("mlx", 1, 10, buf, block_words=2**31)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 1 << 20
    sub = kr.split(kr.key(1))[1]  # the first block's key (the module docstring)
    want = kr.block(kr.bits, (slice(0, 3),), (2**31,), key=sub)
    assert buf.getvalue() == want.tobytes()[:10]
