"""Golden vectors for keyrand, computed with the real MLX and JAX.

Every output file is ``{"generator": {...}, "cases": [...]}``; a case is::

    {"lib": "mlx" | "jax", "fn": <name>, "args": {...},
     "out": {"dtype": "uint32", "shape": [...], "data": [<ints, row-major>]}}

JAX cases also carry ``"mode"`` ("partitionable" or "legacy", the value of
``jax_threefry_partitionable``) and ``"x64"`` (``jax_enable_x64``); both are set
explicitly for each case and restored afterwards. A JAX call that raises is
recorded as ``"error": "<ExceptionType>"`` instead of ``"out"``. Keys in args are
uint32 ``[k0, k1]`` lists, or nested lists of shape ``(..., 2)`` for batched keys.

``mlx.core.random.bits`` exists only in C++, so the MLX "bits" cases come from
``mlx_bits.cpp`` (next to this file), which is compiled with g++ against the
wheel's own headers and libmlx into a temporary directory on every run.

``mlx_sampling.json`` holds the MLX samplers (uniform, normal, randint, bernoulli,
truncated_normal, gumbel, laplace, categorical, permutation, multivariate_normal)
called with explicit keys, MLX's errors for invalid arguments (``"error"`` plus
``"message"``, its first 200 characters), and ``global_sequence`` cases: after
``mx.random.seed(seed)`` the ``calls`` run with ``key=None`` and their results are
listed in ``"outs"``. In these cases ``args`` are the keyword arguments of
``mx.random.<fn>``: ``dtype`` is a dtype name and an array is
``{"array": <nested list>, "dtype": <name>}``, or, for float arrays holding inf or
NaN, ``{"array": <bit patterns>, "dtype": <name>, "bits": true}``. Float outputs
are stored as bit patterns (uint32 for float32, uint16 for float16/bfloat16) with
``"bits": true``, so they compare bit-exactly and the file stays strict JSON.
multivariate_normal goes through LAPACK's SVD, so its bits may differ on other
platforms or LAPACK builds.

``x64_sampling.json`` defines keyrand's float64 samplers: ``kr.<fn>(**args)`` with
``dtype="float64"`` must equal JAX's x64 ``jax.random.<fn>`` for the same raw key
(partitionable mode, JAX's default; loc / scale applied as ``z * scale + loc``), and
``xla_f64`` cases hold XLA's float64 log / log1p / erf / erf_inv / exp on fixed
inputs. float64 arrays there are uint64 bit patterns.

Files and their case groups are listed in ``FILES``. The test suite imports
this module and reruns the same group functions live when the pinned libraries
are installed.

Pinned versions (the run refuses anything else)::

    pip install "mlx[cpu]==0.32.4" "jax==0.10.2" "jaxlib==0.10.2"

Regenerate (from the repository root; needs g++ with C++20)::

    python tests/golden/generate.py

The output is deterministic: rerunning gives a byte-identical file.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import tempfile
from pathlib import Path

import numpy as np

PINNED = {"mlx": "0.32.4", "jax": "0.10.2", "jaxlib": "0.10.2"}
INSTALL_HINT = 'pip install "mlx[cpu]==0.32.4" "jax==0.10.2" "jaxlib==0.10.2"'
HERE = Path(__file__).resolve().parent

U32 = 0xFFFFFFFF
# Raw keys: zero, small, high word set, all ones, and a dense arbitrary pattern.
KEY_ZERO = [0, 0]
KEY_42 = [0, 42]
KEY_HIGH = [1, 5]
KEY_ONES = [U32, U32]
KEY_DENSE = [0x9E3779B9, 0x7F4A7C15]

SPLIT_KEYS = [KEY_ZERO, KEY_42, KEY_HIGH, KEY_ONES]
SPLIT_NUMS = [1, 2, 3, 5, 8, 33]
BITS_KEYS = [KEY_ZERO, KEY_HIGH, KEY_DENSE]
# Sizes around the word (4 bytes) and pair (2 words) boundaries, plus odd/even large.
BITS_SIZES = [*range(10), 31, 32, 33, 1000, 1001]
SEEDS = [0, 1, 7, 42, 2**32 + 5, 2**63 - 1]

MODES = ["partitionable", "legacy"]
BATCHED_KEYS = [
    [KEY_ZERO, KEY_HIGH, KEY_ONES],
    [[[0, 1], [2, 3]], [KEY_DENSE, [U32, 0]]],
]


class VersionMismatch(RuntimeError):
    """An installed library is not the pinned version."""


def check_version(name: str, installed: str) -> None:
    if installed != PINNED[name]:
        raise VersionMismatch(
            f"{name} {installed} is installed but the golden vectors are pinned to "
            f"{PINNED[name]}; install with: {INSTALL_HINT}"
        )


def _out(array) -> dict:
    a = np.asarray(array)
    return {"dtype": a.dtype.name, "shape": list(a.shape), "data": a.ravel().tolist()}


# --------------------------------------------------------------------------- MLX


def _build_mlx_bits(mlx_dir: Path, workdir: Path) -> Path:
    exe = workdir / "mlx_bits"
    lib = mlx_dir / "lib"
    # MLX's headers need C++20 (the wheel's CMake config exports cxx_std_20).
    cmd = [
        os.environ.get("CXX", "g++"), "-std=c++20",
        f"-I{mlx_dir / 'include'}", str(HERE / "mlx_bits.cpp"),
        f"-L{lib}", "-lmlx", f"-Wl,-rpath,{lib}", "-o", str(exe),
    ]
    subprocess.run(cmd, check=True)
    return exe


def _mlx_bits(exe: Path, key: list[int], shape: list[int], width: int) -> np.ndarray:
    argv = [str(exe), str(key[0]), str(key[1]), str(width), *map(str, shape)]
    raw = subprocess.run(argv, check=True, capture_output=True).stdout
    return np.frombuffer(raw, dtype=f"<u{width}").reshape(shape)


def mlx_cases() -> list[dict]:
    import mlx.core as mx

    check_version("mlx", mx.__version__)
    # `mlx` is a namespace package (no __file__); mlx.core sits in the wheel's root.
    mlx_dir = Path(mx.__file__).resolve().parent

    def key_list(key) -> list[int]:
        return np.array(key).tolist()

    cases = []
    for seed in [*SEEDS, 2**64 - 1]:
        cases.append({"lib": "mlx", "fn": "key", "args": {"seed": seed},
                      "out": _out(mx.random.key(seed))})

    split_keys = [key_list(mx.random.key(s)) for s in (0, 42, 2**32 + 5)] + [KEY_ONES]
    for key in split_keys:
        for num in SPLIT_NUMS:
            out = mx.random.split(mx.array(key, dtype=mx.uint32), num)
            cases.append({"lib": "mlx", "fn": "split", "args": {"key": key, "num": num},
                          "out": _out(out)})

    shapes = [[n] for n in BITS_SIZES] + [[], [4, 5], [3, 7], [2, 3, 4]]
    with tempfile.TemporaryDirectory(prefix="keyrand-golden-") as tmp:
        exe = _build_mlx_bits(mlx_dir, Path(tmp))
        for key in BITS_KEYS:
            for width in (1, 2, 4):
                for shape in shapes:
                    cases.append({"lib": "mlx", "fn": "bits",
                                  "args": {"key": key, "shape": shape, "width": width},
                                  "out": _out(_mlx_bits(exe, key, shape, width))})

    # Each key=None sampler call advances the global state once (COMPAT section 11).
    # This reseeds MLX's global state; the previous state cannot be restored.
    calls = 4
    for seed in (123, 5):
        mx.random.seed(seed)
        states = [key_list(mx.random.state[0])]
        for _ in range(calls):
            mx.eval(mx.random.uniform(shape=(1,)))
            states.append(key_list(mx.random.state[0]))
        cases.append({"lib": "mlx", "fn": "global_state",
                      "args": {"seed": seed, "sampler": "uniform", "shape": [1], "calls": calls},
                      "out": _out(np.array(states, dtype=np.uint32))})
    return cases


# --------------------------------------------------------------------------- MLX samplers

SAMPLE_KEYS = [KEY_ZERO, KEY_DENSE]
SAMPLE_SHAPES = [[], [1], [2], [3], [7], [33], [1000], [1001], [4, 5], [2, 3, 4]]
# Bit patterns of float outputs, so that NaN/inf and -0.0 survive JSON exactly.
FLOAT_BITS = {"float32": "uint32", "float16": "uint16", "bfloat16": "uint16"}


def _arg_array(values, dtype: str = "float32") -> dict:
    a = np.asarray(values, dtype=dtype)
    if np.isfinite(a).all():
        return {"array": a.tolist(), "dtype": dtype}
    return {"array": a.view(FLOAT_BITS[dtype]).tolist(), "dtype": dtype, "bits": True}


def _mlx_kwargs(mx, fn: str, args: dict) -> dict:
    kwargs = {}
    for name, value in args.items():
        if name == "key":
            value = mx.array(value, dtype=mx.uint32)
        elif name == "dtype":
            value = mx.bool_ if value == "bool" else getattr(mx, value)
        elif isinstance(value, dict) and value.get("bits"):
            value = mx.array(np.array(value["array"], dtype=FLOAT_BITS[value["dtype"]])
                             .view(value["dtype"]))
        elif isinstance(value, dict):
            value = mx.array(np.array(value["array"], dtype=value["dtype"]))
        kwargs[name] = value
    if fn == "multivariate_normal":
        kwargs["stream"] = mx.cpu  # its SVD has no GPU kernel
    return kwargs


def _mlx_out(mx, array) -> dict:
    mx.eval(array)
    name = str(array.dtype).rsplit(".", 1)[-1]
    if name not in FLOAT_BITS:
        return _out(np.array(array))
    # array.view keeps the exact bits; NumPy has no bfloat16 to convert through.
    bits = np.array(array.view(getattr(mx, FLOAT_BITS[name])))
    return {"dtype": name, "bits": True, "shape": list(array.shape), "data": bits.ravel().tolist()}


def mlx_sampling_cases() -> list[dict]:
    import mlx.core as mx

    check_version("mlx", mx.__version__)
    cases = []

    def run(fn: str, args: dict, may_raise=False) -> None:
        case = {"lib": "mlx", "fn": fn, "args": args}
        try:
            case["out"] = _mlx_out(mx, getattr(mx.random, fn)(**_mlx_kwargs(mx, fn, args)))
        except Exception as e:
            if not may_raise:
                raise
            case["error"] = type(e).__name__
            case["message"] = str(e)[:200]
        cases.append(case)

    def each_key(fn: str, args: dict, may_raise=False) -> None:
        for key in SAMPLE_KEYS:
            run(fn, {"key": key, **args}, may_raise)

    halves = ("float16", "bfloat16")
    floats = ("float32", *halves)

    for dtype in floats:
        for shape in SAMPLE_SHAPES:
            each_key("uniform", {"shape": shape, "dtype": dtype})
    for dtype in floats:
        for shape in ([7], [1000]):
            each_key("uniform", {"low": -3, "high": 5, "shape": shape, "dtype": dtype})
    each_key("uniform", {"low": 0.1, "high": 0.7, "shape": [1001], "dtype": "float32"})
    each_key("uniform", {"low": _arg_array([[-1], [0], [0.5]]),
                         "high": _arg_array([[1, 2, 3, 4]]), "shape": [3, 4]})
    each_key("uniform", {"low": 2, "high": 1, "shape": [5]}, may_raise=True)
    # shape defaults to [], which a broadcast low of shape [3] must not enlarge.
    each_key("uniform", {"low": _arg_array([0, 1, 2]), "high": 1}, may_raise=True)

    for dtype in floats:
        for shape in SAMPLE_SHAPES:
            each_key("normal", {"shape": shape, "dtype": dtype})
    each_key("normal", {"shape": [1000], "dtype": "float32", "loc": 2.0, "scale": 3.0})
    each_key("normal", {"shape": [33], "loc": -1.5})
    each_key("normal", {"shape": [33], "scale": 0.25})
    for dtype in halves:
        each_key("normal", {"shape": [33], "dtype": dtype, "loc": 2.0, "scale": 3.0})

    for shape in SAMPLE_SHAPES:
        each_key("randint", {"low": -10, "high": 17, "shape": shape, "dtype": "int32"})
    each_key("randint", {"low": 0, "high": 2**31 - 1, "shape": [1000], "dtype": "int32"})
    for dtype in ("int8", "uint8", "int16", "uint16", "uint32", "int64", "uint64"):
        for shape in ([33], [1000]):
            each_key("randint", {"low": 0, "high": 100, "shape": shape, "dtype": dtype},
                     may_raise=True)
    each_key("randint", {"low": 0, "high": 2, "shape": [33], "dtype": "bool"}, may_raise=True)
    each_key("randint", {"low": _arg_array([0, 10, 20], "int32"), "high": 30, "shape": [3]})
    # Empty and reversed ranges.
    each_key("randint", {"low": 5, "high": 5, "shape": [4]}, may_raise=True)
    each_key("randint", {"low": 7, "high": 3, "shape": [4]}, may_raise=True)

    each_key("bernoulli", {})
    for shape in ([1000], [2, 3, 4]):
        each_key("bernoulli", {"shape": shape})
    for p in (0.1, 0.9, 0.0, 1.0):
        each_key("bernoulli", {"p": p, "shape": [1000]})
    p3 = _arg_array([0.1, 0.5, 0.9])
    each_key("bernoulli", {"p": p3})
    each_key("bernoulli", {"p": p3, "shape": [4, 3]})
    each_key("bernoulli", {"p": _arg_array([[0.25], [0.75]]), "shape": [2, 5]})

    for shape in ([1000], [7]):
        each_key("truncated_normal", {"lower": -1, "upper": 2, "shape": shape})
    lower3 = _arg_array([-1, 0, 1])
    each_key("truncated_normal", {"lower": lower3, "upper": 2})
    each_key("truncated_normal", {"lower": lower3, "upper": 2, "shape": [4, 3]})
    each_key("truncated_normal", {"lower": -0.5, "upper": 0.5, "shape": [1000]})
    for dtype in halves:
        each_key("truncated_normal", {"lower": -1, "upper": 2, "shape": [33], "dtype": dtype},
                 may_raise=True)

    for shape in SAMPLE_SHAPES:
        each_key("gumbel", {"shape": shape, "dtype": "float32"})
    for dtype in halves:
        each_key("gumbel", {"shape": [1000], "dtype": dtype})

    for shape in SAMPLE_SHAPES:
        each_key("laplace", {"shape": shape, "dtype": "float32"})
    each_key("laplace", {"shape": [1000], "loc": 1.0, "scale": 2.0})
    for dtype in halves:
        each_key("laplace", {"shape": [1000], "dtype": dtype})

    probs = np.array([0.1, 0.2, 0.3, 0.15, 0.25], dtype=np.float32)
    logits = _arg_array(np.log(probs))
    each_key("categorical", {"logits": logits})
    each_key("categorical", {"logits": logits, "shape": [1000]})
    each_key("categorical", {"logits": logits, "num_samples": 1000})
    # Fixed NumPy seed: the logits are part of the recorded args anyway.
    logits2 = _arg_array(np.random.default_rng(0).standard_normal((4, 6)).astype(np.float32))
    for axis in (-1, 0):
        each_key("categorical", {"logits": logits2, "axis": axis})
    each_key("categorical", {"logits": logits2, "shape": [3, 4]})
    each_key("categorical", {"logits": logits2, "num_samples": 7})
    masked = _arg_array([0.0, -np.inf, 1.0, -np.inf, 0.5])
    for extra in ({}, {"shape": [1000]}, {"num_samples": 33}):
        each_key("categorical", {"logits": masked, **extra})
    each_key("categorical", {"logits": _arg_array([0.0, np.inf, 1.0]), "shape": [7]})
    # Many categories: the float32 sum and scan order of the inverse-CDF path shows.
    wide = _arg_array(3 * np.random.default_rng(1).standard_normal(300).astype(np.float32))
    each_key("categorical", {"logits": wide, "shape": [2000]})
    each_key("categorical", {"logits": _arg_array([0.5, -1.0, 2.0, 0.0], "float16"),
                             "shape": [50]})
    logits3 = _arg_array(np.random.default_rng(2).standard_normal((2, 3, 5)).astype(np.float32))
    each_key("categorical", {"logits": logits3, "axis": 1, "shape": [4, 2, 5]})

    for n in (1, 2, 5, 31, 1000):
        each_key("permutation", {"x": n})
    grid = _arg_array(np.arange(12).reshape(3, 4), "int32")
    for axis in (0, 1):
        each_key("permutation", {"x": grid, "axis": axis})

    identity = _arg_array(np.eye(2))
    for shape in ([], [1000]):
        each_key("multivariate_normal", {"mean": _arg_array([0, 0]), "cov": identity,
                                         "shape": shape})
    spd = _arg_array([[2, 0.5, 0.1], [0.5, 1, 0.2], [0.1, 0.2, 0.5]])
    each_key("multivariate_normal", {"mean": _arg_array([1, 2, 3]), "cov": spd,
                                     "shape": [500]})
    batched_mean = _arg_array(np.arange(8).reshape(4, 2))
    for extra in ({}, {"shape": [4]}):
        each_key("multivariate_normal", {"mean": batched_mean, "cov": identity, **extra})
    covs = _arg_array([[[1, 0.3], [0.3, 2]], [[0.5, -0.2], [-0.2, 0.25]]])
    each_key("multivariate_normal", {"mean": _arg_array([1, -1]), "cov": covs, "shape": [3, 2]})

    # Invalid arguments: which calls MLX rejects, and with what.
    key = SAMPLE_KEYS[0]
    run("uniform", {"key": key, "low": _arg_array([0, 0, 0]), "high": 1, "shape": [2]}, True)
    run("uniform", {"key": key, "shape": [2], "dtype": "int32"}, True)
    run("uniform", {"key": key, "shape": [2], "dtype": "float64"}, True)
    run("bernoulli", {"key": key, "p": _arg_array([0.25, 0.5, 0.75]), "shape": [2]}, True)
    run("randint", {"key": key, "low": 0, "high": 10, "shape": [2], "dtype": "float32"}, True)
    run("categorical", {"key": key, "logits": logits2, "shape": [3, 5]}, True)
    run("categorical", {"key": key, "logits": logits, "shape": [5], "num_samples": 5}, True)
    run("multivariate_normal", {"key": key, "mean": _arg_array([0, 0]), "cov": identity,
                                "dtype": "float16"}, True)

    # key=None: each call consumes one split of the global state (COMPAT section 11).
    # This reseeds MLX's global state; the previous state cannot be restored.
    sequences = {
        123: [["permutation", {"x": 9}], ["uniform", {"shape": [3]}], ["normal", {"shape": [4]}]],
        5: [["uniform", {"shape": [3]}]] * 3,
    }
    for seed, calls in sequences.items():
        mx.random.seed(seed)
        outs = [_mlx_out(mx, getattr(mx.random, fn)(**_mlx_kwargs(mx, fn, kw)))
                for fn, kw in calls]
        cases.append({"lib": "mlx", "fn": "global_sequence",
                      "args": {"seed": seed, "calls": calls}, "outs": outs})
    return cases


# --------------------------------------------------------------------------- JAX


@contextlib.contextmanager
def _jax_config(jax, mode: str, x64: bool):
    wanted = {"jax_threefry_partitionable": mode == "partitionable", "jax_enable_x64": x64}
    saved = {name: getattr(jax.config, name) for name in wanted}
    try:
        for name, value in wanted.items():
            jax.config.update(name, value)
        yield
    finally:
        for name, value in saved.items():
            jax.config.update(name, value)


def jax_cases() -> list[dict]:
    import jax
    import jax.numpy as jnp
    import jaxlib

    check_version("jax", jax.__version__)
    check_version("jaxlib", jaxlib.__version__)

    cases = []

    def run(fn: str, args: dict, mode: str, x64: bool, compute, may_raise=False) -> None:
        case = {"lib": "jax", "fn": fn, "mode": mode, "x64": x64, "args": args}
        with _jax_config(jax, mode, x64):
            try:
                # np.asarray inside the config block: JAX may dispatch lazily.
                case["out"] = _out(np.asarray(compute()))
            except Exception as e:
                if not may_raise:
                    raise
                case["error"] = type(e).__name__
        cases.append(case)

    def raw(key):
        return jnp.array(key, dtype=jnp.uint32)

    def batched(f, ndim: int):
        # One vmap per leading key axis; the last axis holds the key words.
        for _ in range(ndim - 1):
            f = jax.vmap(f)
        return f

    # PRNGKey and fold_in do not depend on the mode (COMPAT 2, 5); still pinned per case.
    for x64 in (False, True):
        for seed in [*SEEDS, -1]:
            run("PRNGKey", {"seed": seed}, "partitionable", x64,
                lambda: jax.random.PRNGKey(seed), may_raise=True)

    for mode in MODES:
        for key in SPLIT_KEYS:
            for num in [*SPLIT_NUMS, [2, 3]]:
                n = tuple(num) if isinstance(num, list) else num
                run("split", {"key": key, "num": num}, mode, False,
                    lambda: jax.random.split(raw(key), n))

    for mode in MODES:
        for key in SPLIT_KEYS:
            for data in (0, 1, 12345, 2**32 - 1, -1):
                run("fold_in", {"key": key, "data": data}, mode, False,
                    lambda: jax.random.fold_in(raw(key), data), may_raise=True)

    shapes = [[n] for n in BITS_SIZES] + [[], [4, 5], [2, 3, 4]]
    for mode in MODES:
        for key in BITS_KEYS:
            for dtype in ("uint8", "uint16", "uint32", "uint64"):
                x64 = dtype == "uint64"  # 64-bit dtypes exist only with x64 enabled
                for shape in shapes:
                    run("bits", {"key": key, "shape": shape, "dtype": dtype}, mode, x64,
                        lambda: jax.random.bits(raw(key), tuple(shape), jnp.dtype(dtype)))

    for mode in MODES:
        for keys in BATCHED_KEYS:
            ndim = np.ndim(keys)
            for dtype in ("uint32", "uint8", "uint64"):
                x64 = dtype == "uint64"
                for shape in ([5], [4, 3], [7]):
                    f = batched(lambda k: jax.random.bits(k, tuple(shape), jnp.dtype(dtype)), ndim)
                    run("bits", {"key": keys, "shape": shape, "dtype": dtype}, mode, x64,
                        lambda: f(raw(keys)))

    for mode in MODES:
        keys = BATCHED_KEYS[0]
        for num in (2, 3):
            f = jax.vmap(lambda k: jax.random.split(k, num))
            run("split", {"key": keys, "num": num}, mode, False, lambda: f(raw(keys)))
    return cases


def _f64_bits(values) -> dict:
    a = np.ascontiguousarray(values, dtype=np.float64)
    return {"array": a.view(np.uint64).tolist(), "dtype": "float64", "bits": True}


def xla_math_inputs() -> np.ndarray:
    """float64 inputs for XLA's elementwise math: both signs, every binade,
    the sampler ranges densely, and the special values."""
    rng = np.random.default_rng(64)
    anywhere = rng.integers(0, 2**63, 500, dtype=np.uint64).view(np.float64)
    anywhere = anywhere[np.isfinite(anywhere)]
    unit = np.linspace(-1, 1, 401)
    near_one = 1 - np.ldexp(1.0, -np.arange(1, 54))
    specials = [0.0, 1.0, np.inf, np.nan, 5e-324, 1e-310, np.finfo(np.float64).tiny,
                0.41421356237309503, 0.4142135623730951, 6.25, 16.0, 700.0, 709.8, -708.5]
    x = np.concatenate([anywhere, unit, near_one, specials, rng.standard_normal(200) * 30])
    return np.concatenate([x, -x])


def jax_x64_cases() -> list[dict]:
    """keyrand's float64 samplers against JAX in x64 mode (partitionable, JAX's
    default): kr.<fn>(..., dtype=float64, key=k) is defined as jax.random.<fn>
    (k, ..., float64), plus loc / scale applied as scale * z + loc in float64.
    Also XLA's float64 log, log1p, erf, erf_inv, exp on fixed inputs."""
    import jax
    import jax.numpy as jnp

    cases = []
    ops = {"log": jnp.log, "log1p": jnp.log1p, "erf": jax.lax.erf,
           "erf_inv": jax.lax.erf_inv, "exp": jnp.exp}
    with _jax_config(jax, "partitionable", True):
        x = xla_math_inputs()
        for op, f in ops.items():
            y = np.asarray(jax.jit(f)(x))
            cases.append({"lib": "jax", "fn": "xla_f64", "args": {"op": op, "x": _f64_bits(x)},
                          "out": {"dtype": "float64", "bits": True, "shape": list(y.shape),
                                  "data": y.view(np.uint64).tolist()}})

        def add(fn, args, compute):
            y = np.asarray(compute(jnp.array(args["key"], dtype=jnp.uint32)), dtype=np.float64)
            cases.append({"lib": "jax", "fn": fn, "args": {**args, "dtype": "float64"},
                          "out": {"dtype": "float64", "bits": True, "shape": list(y.shape),
                                  "data": y.view(np.uint64).ravel().tolist()}})

        r = jax.random
        f64 = jnp.float64
        for key in SAMPLE_KEYS:
            for shape in ([], [1], [7], [1000], [3, 5]):
                s = tuple(shape)
                add("uniform", {"key": key, "shape": shape},
                    lambda k: r.uniform(k, s, f64))
                add("normal", {"key": key, "shape": shape}, lambda k: r.normal(k, s, f64))
                add("gumbel", {"key": key, "shape": shape}, lambda k: r.gumbel(k, s, f64))
                add("laplace", {"key": key, "shape": shape}, lambda k: r.laplace(k, s, f64))
            add("uniform", {"key": key, "low": -3.3, "high": 7.1, "shape": [1000]},
                lambda k: r.uniform(k, (1000,), f64, -3.3, 7.1))
            low, high = np.array([-1.0, 0.0, 2.5]), np.array([[1.0], [1e-3]])
            add("uniform", {"key": key, "low": _f64_bits(low), "high": _f64_bits(high),
                            "shape": [4, 2, 3]},
                lambda k: r.uniform(k, (4, 2, 3), f64, low, high))
            add("normal", {"key": key, "shape": [1000], "loc": 1.5, "scale": 3.0},
                lambda k: np.asarray(r.normal(k, (1000,), f64)) * 3.0 + 1.5)
            add("laplace", {"key": key, "shape": [1000], "loc": -2.0, "scale": 0.5},
                lambda k: np.asarray(r.laplace(k, (1000,), f64)) * 0.5 + -2.0)
            add("truncated_normal", {"key": key, "lower": -1.5, "upper": 2.5, "shape": [1000]},
                lambda k: r.truncated_normal(k, -1.5, 2.5, (1000,), f64))
            lower = np.array([-3.0, 0.0, 1.0])
            add("truncated_normal", {"key": key, "lower": _f64_bits(lower), "upper": 2.0,
                                     "shape": [50, 3]},
                lambda k: r.truncated_normal(k, lower, 2.0, (50, 3), f64))
    return cases


# --------------------------------------------------------------------------- files

FILES = {
    "foundation.json": [mlx_cases, jax_cases],
    "mlx_sampling.json": [mlx_sampling_cases],
    "x64_sampling.json": [jax_x64_cases],
}


def generator_info() -> dict:
    import jax
    import mlx.core as mx

    return {"mlx": mx.__version__, "jax": jax.__version__, "numpy": np.__version__,
            "command": "python tests/golden/generate.py"}


def write_file(path: Path, cases: list[dict]) -> None:
    # One case per line keeps diffs of regenerated files readable.
    head = json.dumps({"generator": generator_info()})[:-1]
    body = ",\n".join(json.dumps(c, allow_nan=False) for c in cases)
    path.write_text(f'{head}, "cases": [\n{body}\n]}}\n')


def main() -> None:
    import jax
    import jaxlib
    import mlx.core as mx

    for name, installed in (("mlx", mx.__version__), ("jax", jax.__version__),
                            ("jaxlib", jaxlib.__version__)):
        check_version(name, installed)

    for name, groups in FILES.items():
        cases = [case for group in groups for case in group()]
        path = HERE / name
        write_file(path, cases)
        print(f"wrote {path} ({len(cases)} cases, {path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
