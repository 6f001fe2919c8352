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

``x64_sampling.json`` defines keyrand's float64 samplers where MLX has none (uniform,
gumbel, truncated_normal; MLX's own float64 normal and laplace are cases of
``mlx_sampling.json``): ``kr.<fn>(**args)`` with ``dtype="float64"`` must equal
JAX's x64 ``jax.random.<fn>`` for the same raw key (partitionable mode, JAX's default), and
``xla_f64`` cases hold XLA's float64 log / log1p / erf / erf_inv / exp on fixed
inputs. float64 arrays there are uint64 bit patterns.

``jax_sampling.json`` covers the jax.random namespace on raw keys (the
drop-in ``keyrand.jax``): every sampler in both Threefry modes, x64 off unless
the case needs it, ``args`` being the keyword arguments of
``jax.random.<fn>(key, **args)`` encoded as above (float64 arrays always as
uint64 bit patterns; a list is a shape, a Python scalar stays weakly typed).
A key of shape ``(..., 2)`` is a batch, run through one ``jax.vmap`` per
leading axis. ``key`` and ``wrap_key_data`` are recorded as their raw
``key_data``. Float outputs are bit patterns (uint64 for float64).

Files and their case groups are listed in ``FILES``. The test suite imports
this module and reruns the same group functions live when the pinned libraries
are installed.

Pinned versions (the run refuses anything else)::

    pip install "mlx[cpu]==0.32.4" "jax==0.10.2" "jaxlib==0.10.2"

Regenerate (from the repository root; needs g++ with C++20)::

    python tests/golden/generate.py

or only some files, e.g. ``python tests/golden/generate.py jax_sampling.json``
(that group alone compiles a few hundred XLA programs: minutes, not seconds).

The output is deterministic: rerunning gives a byte-identical file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import warnings
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
FLOAT_BITS = {"float32": "uint32", "float16": "uint16", "bfloat16": "uint16", "float64": "uint64",
              "complex64": "uint64"}


def _arg_array(values, dtype: str = "float32") -> dict:
    a = np.asarray(values, dtype=dtype)
    if a.dtype.kind != "c" and np.isfinite(a).all():  # complex: JSON has no complex numbers
        return {"array": a.tolist(), "dtype": dtype}
    return {"array": a.view(FLOAT_BITS[dtype]).tolist(), "dtype": dtype, "bits": True}


def _py_float(x: float) -> dict:
    """A Python float argument that JSON cannot hold (NaN, +-inf)."""
    return {"float": repr(float(x))}


def _mlx_kwargs(mx, fn: str, args: dict) -> dict:
    kwargs = {}
    for name, value in args.items():
        if isinstance(value, dict) and "float" in value:
            value = float(value["float"])
        elif name == "key":
            value = mx.array(value, dtype=mx.uint32)
        elif name == "dtype" and value is not None:  # None: MLX's default dtype
            value = mx.bool_ if value == "bool" else getattr(mx, value)
        elif isinstance(value, dict) and value.get("bits"):
            value = mx.array(np.array(value["array"], dtype=FLOAT_BITS[value["dtype"]])
                             .view(value["dtype"]))
        elif isinstance(value, dict) and value["dtype"] == "float64":
            # As a NumPy array: mx.array would round it to float32 first, which
            # MLX's samplers do not when handed the NumPy array itself.
            value = np.array(value["array"], dtype=np.float64)
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
    # Array loc / scale, broadcast against each other and the shape.
    for dtype in ["float32", *halves]:
        each_key("normal", {"shape": [4, 33], "dtype": dtype,
                            "loc": _arg_array([[0.1], [-2.5], [3.0], [0.0]]),
                            "scale": _arg_array([0.25 + 0.125 * i for i in range(33)])})
    # float64 on the CPU: the float32 erfinv, then float64 arithmetic.
    for shape in SAMPLE_SHAPES:
        each_key("normal", {"shape": shape, "dtype": "float64"})
    each_key("normal", {"shape": [1000], "dtype": "float64", "loc": 0.3, "scale": 1.7})
    each_key("normal", {"shape": [2, 3], "dtype": "float64",
                        "loc": _arg_array([[0.1], [-2.5]], "float64"),
                        "scale": _arg_array([0.5, 1.0, 3.3], "float64")})
    each_key("normal", {"shape": [3], "dtype": "float64", "loc": _arg_array([0.1, 0.2, 0.3])})
    # complex64: erfinv pairs viewed as complex, then scale * z + loc in complex64.
    for shape in ([], [7], [1000], [3, 4]):
        each_key("normal", {"shape": shape, "dtype": "complex64"})
    each_key("normal", {"shape": [33], "dtype": "complex64", "loc": 1.5, "scale": 2.0})
    each_key("normal", {"shape": [3, 4], "dtype": "complex64", "scale": 0.25,
                        "loc": _arg_array([0.5, -1, 2, 3])})
    each_key("normal", {"shape": [2, 3], "dtype": "complex64",
                        "loc": _arg_array([[1 + 2j], [-0.5j]], "complex64"),
                        "scale": _arg_array(2j - 0.5, "complex64")})

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
    # Any float p, as uniform < p: outside [0, 1], infinite and NaN (False).
    each_key("bernoulli", {"p": _arg_array([2.0, -2.0, 1.5, -0.25, np.inf, -np.inf, np.nan]),
                           "shape": [4, 7]})
    for p in (1.5, -0.5):
        each_key("bernoulli", {"p": p, "shape": [100]})
    # dtype=None is MLX's default dtype (float32; int32 for randint).
    for fn in ("uniform", "normal", "gumbel", "laplace"):
        each_key(fn, {"shape": [7], "dtype": None})
    each_key("truncated_normal", {"lower": -1, "upper": 2, "shape": [7], "dtype": None})
    each_key("randint", {"low": 0, "high": 10, "shape": [7], "dtype": None})

    for shape in ([1000], [7]):
        each_key("truncated_normal", {"lower": -1, "upper": 2, "shape": shape})
    lower3 = _arg_array([-1, 0, 1])
    each_key("truncated_normal", {"lower": lower3, "upper": 2})
    each_key("truncated_normal", {"lower": lower3, "upper": 2, "shape": [4, 3]})
    each_key("truncated_normal", {"lower": -0.5, "upper": 0.5, "shape": [1000]})
    # Wide bounds (u reaching +-1, erfinv's tails) and lower > upper (MLX: lower).
    each_key("truncated_normal", {"lower": -8.0, "upper": 9.0, "shape": [1000]})
    each_key("truncated_normal", {"lower": 2.0, "upper": -1.0, "shape": [7]})
    for dtype in ["float32", *halves]:
        each_key("truncated_normal", {"lower": _arg_array([3.0, -1.0, 0.5]),
                                      "upper": _arg_array([1.0, 2.0, 0.25]), "shape": [5, 3],
                                      "dtype": dtype})
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
    for shape in SAMPLE_SHAPES:
        each_key("laplace", {"shape": shape, "dtype": "float64"})
    each_key("laplace", {"shape": [1000], "dtype": "float64", "loc": 0.3, "scale": 1.7})

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

    # NaN and infinite parameters: MLX computes with them (NaN results where
    # it gives NaN), in every float dtype, on the fused and the array paths.
    nan, inf, ninf = _py_float(np.nan), _py_float(np.inf), _py_float(-np.inf)
    with_nan = _arg_array([0.5, np.nan, -1.0])
    for dtype in floats:
        for low, high in ((nan, 1.0), (0.0, nan), (0.0, inf), (ninf, inf)):
            each_key("uniform", {"low": low, "high": high, "shape": [33], "dtype": dtype})
        for fn in ("normal", "laplace"):
            for extra in ({"loc": nan}, {"scale": nan}, {"scale": inf}):
                each_key(fn, {"shape": [33], "dtype": dtype, **extra})
        each_key("normal", {"shape": [2, 3], "dtype": dtype, "loc": with_nan})
        for lower, upper in ((nan, 1.0), (0.0, nan), (ninf, inf), (5.0, inf)):
            each_key("truncated_normal", {"lower": lower, "upper": upper, "shape": [33],
                                          "dtype": dtype})
        each_key("truncated_normal", {"lower": with_nan, "upper": 2.0, "dtype": dtype})
    each_key("uniform", {"low": with_nan, "high": 2.0, "shape": [2, 3]})
    for extra in ({"loc": nan}, {"scale": nan}):
        each_key("normal", {"shape": [33], "dtype": "float64", **extra})
    each_key("normal", {"shape": [2, 3], "dtype": "float64", "loc": with_nan})
    each_key("laplace", {"shape": [33], "dtype": "float64", "scale": nan})
    # randint: float bounds, bounds beyond the dtype (each operand cast to it,
    # wrapping) and NaN; never float values beyond +-2**31 cast to uint32, which
    # MLX's vector loop and scalar tail convert differently.
    for low, high, dtype in ((0.5, 5.5, "int32"), (-2.7, 3.2, "int32"), (0, 300, "int8"),
                             (-5, 5, "uint8"), (-200, 200, "int8"), (0, 2**40, "int32"),
                             (-2**40, 5, "int64"), (nan, 5, "int32"), (0, inf, "int32"),
                             (-3, 3, "bool"), (0, -2**31, "int32"), (-2**31, 3, "int32"),
                             (-70000, 70000, "int16"), (-3, 3, "uint32"), (0, 2**32, "uint32"),
                             (nan, 5, "int64"), (nan, 5, "uint64"), (0.5, 300.5, "uint16"),
                             (1, 2**63 - 1, "int64"), (-1, 10, "uint64")):
        each_key("randint", {"low": low, "high": high, "shape": [33], "dtype": dtype})
    each_key("randint", {"low": _arg_array([0.5], "float16"), "high": _arg_array([300.7], "float16"),
                         "shape": [33], "dtype": "int8"})
    each_key("randint", {"low": _arg_array([-100, 7], "int8"), "high": _arg_array([100, 9], "int8"),
                         "shape": [4, 2], "dtype": "uint8"})
    each_key("randint", {"low": _arg_array([0.25, np.nan, -3.5]), "high": 10, "shape": [2, 3]})
    # NaN logits: MLX's argmax and inverse CDF take them as they come.
    nan_logits = _arg_array([0.0, np.nan, 1.0])
    for extra in ({}, {"shape": [6]}, {"num_samples": 6}):
        each_key("categorical", {"logits": nan_logits, **extra})
    each_key("categorical", {"logits": _arg_array([[0.0, 1.0, 2.0], [np.nan, 0.0, 0.5]]),
                             "num_samples": 5})
    # cov is not checked: its SVD root is used whatever it is; inf gives NaN.
    for cov in ([[1, 2], [2, 1]], [[1, 0.5], [0, 1]], [[1, np.inf], [np.inf, 1]]):
        each_key("multivariate_normal", {"mean": _arg_array([0, 1]), "cov": _arg_array(cov),
                                         "shape": [5]})
    each_key("multivariate_normal", {"mean": _arg_array([np.nan, 0]), "cov": identity,
                                     "shape": [3]})

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
    run("multivariate_normal", {"key": key, "mean": _arg_array([0, 0]), "cov": identity,
                                "dtype": "int32"}, True)
    run("bernoulli", {"key": key, "p": 1, "shape": [2]}, True)  # p must be a float type
    run("bernoulli", {"key": key, "p": _arg_array([1, 0], "int32"), "shape": [2]}, True)

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
    """keyrand's float64 samplers that MLX lacks, against JAX in x64 mode
    (partitionable, JAX's default): kr.<fn>(..., dtype=float64, key=k) is
    defined as jax.random.<fn>(k, ..., float64). Also XLA's float64 log,
    log1p, erf, erf_inv, exp on fixed inputs."""
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
                add("gumbel", {"key": key, "shape": shape}, lambda k: r.gumbel(k, s, f64))
            add("uniform", {"key": key, "low": -3.3, "high": 7.1, "shape": [1000]},
                lambda k: r.uniform(k, (1000,), f64, -3.3, 7.1))
            low, high = np.array([-1.0, 0.0, 2.5]), np.array([[1.0], [1e-3]])
            add("uniform", {"key": key, "low": _f64_bits(low), "high": _f64_bits(high),
                            "shape": [4, 2, 3]},
                lambda k: r.uniform(k, (4, 2, 3), f64, low, high))
            add("truncated_normal", {"key": key, "lower": -1.5, "upper": 2.5, "shape": [1000]},
                lambda k: r.truncated_normal(k, -1.5, 2.5, (1000,), f64))
            # Bounds whose x / sqrt 2 and x * fl(1 / sqrt 2) differ (XLA takes the latter).
            add("truncated_normal", {"key": key, "lower": -1.139, "upper": 2.604, "shape": [1000]},
                lambda k: r.truncated_normal(k, -1.139, 2.604, (1000,), f64))
            lower = np.array([-3.0, 0.0, 1.0])
            add("truncated_normal", {"key": key, "lower": _f64_bits(lower), "upper": 2.0,
                                     "shape": [50, 3]},
                lambda k: r.truncated_normal(k, lower, 2.0, (50, 3), f64))
            # Both bounds arrays (the divisions by sqrt 2 are not rewritten then).
            lo2 = np.linspace(-3.0, 0.5, 400)
            up2 = lo2 + np.linspace(0.25, 4.0, 400)
            add("truncated_normal", {"key": key, "lower": _f64_bits(lo2), "upper": _f64_bits(up2),
                                     "shape": [400]},
                lambda k: r.truncated_normal(k, lo2, up2, (400,), f64))
    return cases


# --------------------------------------------------------------------------- JAX samplers

# Float arrays (arguments and outputs) travel as bit patterns of these types.
JAX_FLOAT_BITS = {**FLOAT_BITS, "float64": "uint64"}
JAX_SHAPES = [[], [1], [7], [33], [1000], [4, 5], [2, 3, 4]]
# Keys of the wrong shape: JAX refuses them (a (2, 3) array is a batch of bad keys).
BAD_KEYS = [[1, 2, 3], [[1, 2, 3], [4, 5, 6]]]
# Argument names holding raw keys (uint32 lists) rather than sampler parameters.
KEY_ARGS = ("key", "keys", "key_bits_array")


def _jax_arg(values, dtype: str = "float32") -> dict:
    """An array argument, encoded as _arg_array does; float64 always as uint64
    bit patterns (as in x64_sampling.json)."""
    if dtype != "float64":
        return _arg_array(values, dtype)
    bits = np.asarray(values, dtype=np.float64).view(np.uint64)
    return {"array": bits.tolist(), "dtype": "float64", "bits": True}


def _jax_value(jnp, name: str, value):
    """A JSON argument as jax.random takes it: dtype names as dtypes, arrays as
    NumPy arrays (so that JAX canonicalizes them as it does NumPy input), lists
    (shapes) as tuples, Python scalars as they are (weakly typed in JAX)."""
    if name == "dtype":
        return jnp.dtype(value)
    if isinstance(value, dict):
        dtype = jnp.dtype(value["dtype"])
        if value.get("bits"):
            return np.array(value["array"], dtype=JAX_FLOAT_BITS[value["dtype"]]).view(dtype)
        return np.array(value["array"], dtype=dtype)
    if isinstance(value, list):
        return tuple(value)
    return value


def _jax_sample(jax, fn: str, args: dict):
    """jax.random.<fn>(key, **args); a key of shape (..., 2) goes through one
    jax.vmap per leading axis. key / wrap_key_data give their raw key_data."""
    import jax.numpy as jnp

    r = jax.random
    kwargs = {name: _jax_value(jnp, name, v) for name, v in args.items() if name not in KEY_ARGS}
    if fn == "key":
        return r.key_data(r.key(**kwargs))
    if fn == "key_data":
        return r.key_data(jnp.array(args["keys"], dtype=jnp.uint32))
    if fn == "wrap_key_data":
        return r.key_data(r.wrap_key_data(jnp.array(args["key_bits_array"], dtype=jnp.uint32)))
    key = jnp.array(args["key"], dtype=jnp.uint32)
    f = lambda k: getattr(r, fn)(k, **kwargs)  # noqa: E731
    for _ in range(key.ndim - 1):
        f = jax.vmap(f)
    return f(key)


def _jax_out(array) -> dict:
    a = np.asarray(array)
    if a.dtype.kind == "c":  # complex: the bits of the real and imaginary parts, interleaved
        part = a.real.dtype.name
        bits = np.ascontiguousarray(a).view(part).view(JAX_FLOAT_BITS[part])
        return {"dtype": a.dtype.name, "bits": True, "shape": list(a.shape),
                "data": bits.ravel().tolist()}
    if a.dtype.name not in JAX_FLOAT_BITS:
        return _out(a)
    bits = a.view(JAX_FLOAT_BITS[a.dtype.name])
    return {"dtype": a.dtype.name, "bits": True, "shape": list(a.shape),
            "data": bits.ravel().tolist()}


def jax_sampling_cases(only=None) -> list[dict]:
    """The jax.random namespace on raw keys, in both Threefry modes: every
    sampler over shapes, dtypes, scalar and array parameters, edge parameters,
    batched keys (vmap) and calls JAX refuses. x64 is off unless the case
    needs it (64-bit dtypes, the default dtypes and Python-float parameters
    under x64). ``only`` selects cases: None for all, a collection of function
    names, or a predicate ``only(fn, args, mode, x64)``.

    XLA compilation is nearly all of the run time (0.2-2.5 s for each new
    combination of function, shape, dtype, static argument, argument types,
    mode and x64; keys and parameter values are traced and cost nothing), so
    edge values ride along with a compiled case of the same shape and types."""
    import jax
    import jaxlib

    check_version("jax", jax.__version__)
    check_version("jaxlib", jaxlib.__version__)

    if only is None or callable(only):
        wanted = only
    else:
        names = set(only)
        wanted = lambda fn, args, mode, x64: fn in names  # noqa: E731
    cases = []

    def run(fn: str, args: dict, mode: str, x64: bool, may_raise: bool) -> dict | None:
        if wanted is not None and not wanted(fn, args, mode, x64):
            return None
        case = {"lib": "jax", "fn": fn, "mode": mode, "x64": x64, "args": args}
        with _jax_config(jax, mode, x64), warnings.catch_warnings():
            # Without x64, JAX warns and gives 32 bits for a requested 64-bit dtype.
            warnings.simplefilter("ignore")
            try:
                case["out"] = _jax_out(_jax_sample(jax, fn, args))
            except Exception as e:
                if not may_raise:
                    raise
                case["error"] = type(e).__name__
        cases.append(case)
        return case

    def each(fn: str, args: dict, x64=False, keys=None) -> None:
        # One key for large outputs (a key costs no compilation, only file size).
        size = np.prod(args.get("shape", []), dtype=np.int64)
        for mode in MODES:
            for flag in (x64 if isinstance(x64, tuple) else (x64,)):
                for key in keys or (SAMPLE_KEYS if size < 1000 else [KEY_DENSE]):
                    run(fn, {"key": key, **args}, mode, flag, False)

    def batched(fn: str, args: dict, x64=False, keys=BATCHED_KEYS[:1]) -> None:
        for mode in MODES:
            for key in keys:
                run(fn, {"key": key, **args}, mode, x64, False)

    def bad(fn: str, args: dict, x64=False, key=KEY_ZERO) -> None:
        for mode in MODES:
            case = run(fn, {"key": key, **args}, mode, x64, True)
            assert case is None or "error" in case, f"JAX accepted {fn}({args})"

    both = (False, True)

    # ---- keys: raw uint32 data, the same in both modes.
    for x64 in both:
        for seed in (0, 42, 2**32 + 5, -1, 2**63 - 1):
            run("key", {"seed": seed}, "partitionable", x64, True)
    for mode in MODES:
        case = run("key", {"seed": [1, 2]}, mode, False, True)
        assert case is None or "error" in case
    for keys in (KEY_42, *BATCHED_KEYS):
        run("key_data", {"keys": keys}, "partitionable", False, False)
        run("wrap_key_data", {"key_bits_array": keys}, "partitionable", False, False)
        for mode in MODES:
            run("clone", {"key": keys}, mode, False, False)
    for keys in BAD_KEYS:
        run("wrap_key_data", {"key_bits_array": keys}, "partitionable", False, True)

    # ---- uniform
    for shape in JAX_SHAPES:
        each("uniform", {"shape": shape, "dtype": "float32"})
    for dtype in ("float16", "bfloat16"):
        for shape in ([7], [1000]):
            each("uniform", {"shape": shape, "dtype": dtype})
    for shape in ([7], [1000]):
        each("uniform", {"shape": shape, "dtype": "float64"}, x64=True)
    each("uniform", {"shape": [7], "dtype": "float64"})  # without x64: float32
    each("uniform", {"shape": [7]}, x64=both)  # the default dtype follows x64
    each("uniform", {})
    for minval, maxval in ((0.1, 0.7), (2.5, 2.5), (5.0, 1.0), (0.0, 1e-30), (-3e38, 3e38)):
        each("uniform", {"shape": [7], "minval": minval, "maxval": maxval})
    each("uniform", {"shape": [7], "minval": 0.1, "maxval": 0.7}, x64=True)
    each("uniform", {"shape": [7], "dtype": "float16", "minval": -60000.0, "maxval": 60000.0})
    each("uniform", {"shape": [7], "minval": -3, "maxval": 5})
    each("uniform", {"shape": [3, 4], "minval": _jax_arg([[-1], [0], [0.5]]),
                     "maxval": _jax_arg([[1, 2, 3, 4]])})
    each("uniform", {"shape": [2, 3], "dtype": "float64",
                     "minval": _jax_arg([-1.0, 0.0, 2.5], "float64"),
                     "maxval": _jax_arg([[1.0], [1e-3]], "float64")}, x64=True)
    bad("uniform", {"shape": [2], "dtype": "int32"})
    bad("uniform", {"shape": [2], "minval": _jax_arg([0, 0, 0])})  # a TypeError in JAX
    bad("uniform", {"shape": [2.0]})
    for key in BAD_KEYS:
        bad("uniform", {"shape": [2]}, key=key)
    batched("uniform", {"shape": [5]}, keys=BATCHED_KEYS)

    # ---- normal
    for shape in JAX_SHAPES:
        each("normal", {"shape": shape, "dtype": "float32"})
    for dtype in ("float16", "bfloat16"):
        for shape in ([7], [1000]):
            each("normal", {"shape": shape, "dtype": dtype})
    for shape in ([7], [1000]):
        each("normal", {"shape": shape, "dtype": "float64"}, x64=True)
    each("normal", {"shape": [7], "dtype": "float64"})
    each("normal", {"shape": [7]}, x64=both)
    each("normal", {})
    # complex: the two parts from split(key), each scaled by 1 / sqrt 2
    for shape in ([7], [3, 4], [1000]):
        each("normal", {"shape": shape, "dtype": "complex64"})
    each("normal", {"shape": [7], "dtype": "complex128"}, x64=True)
    bad("normal", {"shape": [2], "dtype": "int32"})
    bad("normal", {"shape": [2]}, key=BAD_KEYS[0])
    batched("normal", {"shape": [5]})

    # ---- randint
    for shape in JAX_SHAPES:
        each("randint", {"shape": shape, "minval": -10, "maxval": 17})
    each("randint", {"shape": [1000], "minval": -2**31, "maxval": 2**31 - 1, "dtype": "int32"})
    for minval, maxval in ((5, 5), (7, 3)):
        each("randint", {"shape": [7], "minval": minval, "maxval": maxval})
    each("randint", {"shape": [7], "minval": 0, "maxval": 100, "dtype": "int64"})  # int32
    # Narrow dtypes sample in int32 with the bounds clipped to the dtype first.
    for dtype in ("int8", "uint8", "int16", "uint16"):
        info = np.iinfo(dtype)
        each("randint", {"shape": [33], "minval": 0, "maxval": 100, "dtype": dtype})
        each("randint", {"shape": [33], "minval": _jax_arg(info.min, dtype),
                         "maxval": _jax_arg(info.max, dtype), "dtype": dtype})
    each("randint", {"shape": [33], "minval": -1000, "maxval": 1000, "dtype": "int8"})
    each("randint", {"shape": [33], "minval": 200, "maxval": 300, "dtype": "uint8"})
    # uint32's maximum is no Python int JAX takes without x64: arrays.
    each("randint", {"shape": [33], "minval": _jax_arg(0, "uint32"),
                     "maxval": _jax_arg(2**32 - 1, "uint32"), "dtype": "uint32"})
    for minval, maxval in ((0, 100), (-2**63, 2**63 - 1)):
        each("randint", {"shape": [33], "minval": minval, "maxval": maxval, "dtype": "int64"},
             x64=True)
    each("randint", {"shape": [33], "minval": -5, "maxval": 2**40}, x64=True)  # int64
    each("randint", {"shape": [33], "minval": 0, "maxval": _jax_arg(2**64 - 1, "uint64"),
                     "dtype": "uint64"}, x64=True)
    # A maxval above the dtype allows its maximum.
    each("randint", {"shape": [7], "minval": 0, "maxval": 2**31, "dtype": "int32"}, x64=True)
    each("randint", {"shape": [3], "minval": _jax_arg([0, 10, 20], "int32"), "maxval": 30})
    each("randint", {"shape": [2, 3], "minval": _jax_arg([[0], [100]], "int32"),
                     "maxval": _jax_arg([5, 50, 500], "int32")})
    each("randint", {"shape": [7], "minval": 0.5, "maxval": 3.7})  # float bounds truncated
    bad("randint", {"shape": [2], "minval": 0, "maxval": 10, "dtype": "float32"})
    bad("randint", {"shape": [2], "minval": 0, "maxval": 2, "dtype": "bool"})
    bad("randint", {"shape": [2], "minval": _jax_arg([0, 1, 2], "int32"), "maxval": 10})
    # Without x64 a Python int bound must fit in int32, whatever the dtype.
    bad("randint", {"shape": [2], "minval": 0, "maxval": 2**31, "dtype": "uint32"})
    bad("randint", {"shape": [2], "minval": 0, "maxval": 10}, key=BAD_KEYS[0])
    batched("randint", {"shape": [5], "minval": 0, "maxval": 10})
    batched("randint", {"shape": [5], "minval": 0, "maxval": 200, "dtype": "uint8"})
    batched("randint", {"shape": [5], "minval": -2**40, "maxval": 2**40, "dtype": "int64"},
            x64=True)

    # ---- bernoulli
    each("bernoulli", {})
    for shape in ([7], [1000]):
        each("bernoulli", {"shape": shape})
    for p in (0.0, 1.0, 0.1, 0.9):
        each("bernoulli", {"p": p, "shape": [7]})
    each("bernoulli", {"p": 0.3, "shape": [7]}, x64=True)  # float64 uniforms
    p3 = _jax_arg([0.1, 0.5, 0.9])
    each("bernoulli", {"p": p3})
    each("bernoulli", {"p": p3, "shape": [4, 3]})
    each("bernoulli", {"p": _jax_arg([[0.25], [0.75]]), "shape": [2, 5]})
    for dtype in ("float16", "bfloat16", "float64"):
        each("bernoulli", {"p": _jax_arg([0.1, 0.5, 0.9], dtype), "shape": [11, 3]},
             x64=dtype == "float64")
    for p in (1e-9, 0.5):
        each("bernoulli", {"p": p, "shape": [7], "mode": "high"})
    each("bernoulli", {"p": 0.5, "shape": [7], "mode": "high"}, x64=True)
    each("bernoulli", {"p": _jax_arg([0.1, 0.5, 0.9], "float16"), "mode": "high"})
    bad("bernoulli", {"p": 1, "shape": [2]})
    bad("bernoulli", {"p": p3, "shape": [2]})
    bad("bernoulli", {"shape": [2], "mode": "medium"})
    batched("bernoulli", {"p": 0.3, "shape": [5]})

    # ---- categorical
    probs = np.array([0.1, 0.2, 0.3, 0.15, 0.25], dtype=np.float32)
    # Fixed NumPy seeds: the logits are part of the recorded args anyway.
    logits2 = _jax_arg(np.random.default_rng(0).standard_normal((4, 6)).astype(np.float32))
    logits3 = _jax_arg(np.random.default_rng(2).standard_normal((2, 3, 5)).astype(np.float32))
    for logits in (_jax_arg(np.log(probs)), _jax_arg([0.0, -np.inf, 1.0, -np.inf, 0.5])):
        each("categorical", {"logits": logits})
        each("categorical", {"logits": logits, "shape": [1000]})
    each("categorical", {"logits": _jax_arg(np.log(probs)), "shape": [2, 3]})
    for axis in (0, 1):
        each("categorical", {"logits": logits2, "axis": axis})
    each("categorical", {"logits": logits2, "shape": [3, 4]})
    each("categorical", {"logits": _jax_arg(np.log(probs)), "shape": [3], "replace": False})
    each("categorical", {"logits": logits2, "shape": [2, 4], "replace": False})
    each("categorical", {"logits": logits2, "axis": 0, "shape": [3, 6], "replace": False})
    each("categorical", {"logits": logits3, "axis": 1, "shape": [4, 2, 5]})
    each("categorical", {"logits": _jax_arg(np.log(probs)), "shape": [33], "mode": "high"})
    for dtype in ("float16", "bfloat16"):
        each("categorical", {"logits": _jax_arg([0.5, -1.0, 2.0, 0.0], dtype), "shape": [33]})
    wide = _jax_arg(3 * np.random.default_rng(1).standard_normal(300).astype(np.float32))
    each("categorical", {"logits": wide, "shape": [50]})
    each("categorical", {"logits": _jax_arg(np.log(probs), "float64"), "shape": [33]}, x64=True)
    bad("categorical", {"logits": _jax_arg(np.log(probs)), "shape": [6], "replace": False})
    bad("categorical", {"logits": logits2, "shape": [5]})
    bad("categorical", {"logits": _jax_arg([0, 1, 2], "int32"), "shape": [4]})
    batched("categorical", {"logits": _jax_arg(np.log(probs)), "shape": [4]})

    # ---- choice
    each("choice", {"a": 10})
    for a in (10, 1000):
        each("choice", {"a": a, "shape": [5]})
    each("choice", {"a": 1000, "shape": [1000]})
    each("choice", {"a": 10, "shape": [5]}, x64=True)  # int64 indices
    for a in (5, 10):
        each("choice", {"a": a, "shape": [5], "replace": False})
    each("choice", {"a": 2000, "shape": [7], "replace": False})  # two shuffle rounds
    for p in ([0.1, 0.2, 0.3, 0.15, 0.25], [0.5, 0.0, 0.25, 0.0, 0.25]):
        each("choice", {"a": 5, "shape": [33], "p": _jax_arg(p)})
    each("choice", {"a": 5, "shape": [3], "p": _jax_arg([0.1, 0.2, 0.3, 0.15, 0.25]),
                    "replace": False})
    each("choice", {"a": 5, "shape": [3], "p": _jax_arg([0.1, 0.2, 0.3, 0.15, 0.25]),
                    "replace": False, "mode": "high"})
    each("choice", {"a": 5, "shape": [33], "p": _jax_arg([1, 2, 3, 1.5, 2.5], "float16")})
    each("choice", {"a": 5, "shape": [33], "p": _jax_arg([0.1, 0.2, 0.3, 0.15, 0.25], "float64")},
         x64=True)
    # Many categories: XLA's cumsum runs in blocks of 16 (its rounding, not a
    # running sum's); bfloat16 and negative p make the cumsum decrease, where only
    # JAX's own binary search gives its indices.
    many = np.linspace(0.05, 2.0, 1000).tolist()
    each("choice", {"a": 1000, "shape": [1500], "p": _jax_arg(many)})
    each("choice", {"a": 1000, "shape": [1500], "p": _jax_arg(many, "bfloat16")})
    each("choice", {"a": 300, "shape": [500], "p": _jax_arg(many[:300], "float64")}, x64=True)
    each("choice", {"a": 40, "shape": [200],
                    "p": _jax_arg([(-1.0 if i % 7 == 3 else 0.5 + i) for i in range(40)])})
    each("choice", {"a": 10, "shape": [2, 3]})
    vec = _jax_arg([1.5, -2.0, 3.25, 0.0, 7.0, 8.5])
    each("choice", {"a": vec, "shape": [4]})
    each("choice", {"a": vec, "shape": [4], "replace": False})
    each("choice", {"a": vec, "shape": [2, 2], "p": _jax_arg([0.1, 0.1, 0.2, 0.2, 0.2, 0.2])})
    grid = _jax_arg(np.arange(12).reshape(3, 4) * 10, "int32")
    for axis in (0, 1):
        each("choice", {"a": grid, "shape": [2], "axis": axis})
        each("choice", {"a": grid, "shape": [2], "axis": axis, "replace": False})
    p4 = _jax_arg([0.4, 0.3, 0.2, 0.1])
    each("choice", {"a": grid, "shape": [2, 2], "axis": -1, "p": p4})
    each("choice", {"a": grid, "shape": [2], "axis": 1, "p": p4, "replace": False})
    each("choice", {"a": 0, "shape": [0]})
    bad("choice", {"a": 0, "shape": [3]})
    bad("choice", {"a": 5, "shape": [6], "replace": False})
    bad("choice", {"a": 5, "shape": [3], "p": _jax_arg([0.4, 0.3, 0.2, 0.1])})
    bad("choice", {"a": 5, "shape": 3})  # shape must be a sequence
    batched("choice", {"a": 10, "shape": [3]})
    batched("choice", {"a": 10, "shape": [3], "replace": False})

    # ---- permutation
    for n in (0, 1, 5, 31, 1000, 2000):  # 2000: two shuffle rounds
        each("permutation", {"x": n})
    each("permutation", {"x": 10}, x64=True)  # int64
    each("permutation", {"x": _jax_arg(np.arange(12) * 3, "int32")})
    perm_grid = _jax_arg(np.arange(12).reshape(3, 4), "int32")
    each("permutation", {"x": _jax_arg([0.5, -1.0, 2.0, 3.5, 4.0, 1e-3, 7.0])})
    for axis in (0, -1):
        for independent in (False, True):
            each("permutation", {"x": perm_grid, "axis": axis, "independent": independent})
    cube = _jax_arg(np.arange(24).reshape(2, 3, 4), "int16")
    each("permutation", {"x": cube, "axis": 1})
    each("permutation", {"x": cube, "axis": 2, "independent": True})
    # Independent shuffles take their rounds from x.size (1800: two), not the axis length.
    wide_grid = _jax_arg(np.arange(1800).reshape(3, 600), "int32")
    each("permutation", {"x": wide_grid, "axis": 1, "independent": True}, keys=[KEY_DENSE])
    bad("permutation", {"x": 3.0})
    bad("permutation", {"x": perm_grid, "axis": 2})
    batched("permutation", {"x": 6}, keys=BATCHED_KEYS)
    batched("permutation", {"x": perm_grid, "axis": 1})

    # ---- truncated_normal
    for shape in ([], [7], [1000]):
        each("truncated_normal", {"lower": -1.0, "upper": 2.0, "shape": shape})
    for lower, upper in ((0.5, 0.5), (5.0, 8.0), (-9.0, -8.0), (2.0, -1.0), (-1e-3, 1e-3)):
        each("truncated_normal", {"lower": lower, "upper": upper, "shape": [7]})
    lower3 = _jax_arg([-1, 0, 1])
    each("truncated_normal", {"lower": -1, "upper": 2})
    each("truncated_normal", {"lower": lower3, "upper": 2.0})
    each("truncated_normal", {"lower": lower3, "upper": 2.0, "shape": [4, 3]})
    for dtype in ("float16", "bfloat16"):
        each("truncated_normal", {"lower": -1.0, "upper": 2.0, "shape": [7], "dtype": dtype})
    each("truncated_normal", {"lower": -1.5, "upper": 2.5, "shape": [7], "dtype": "float64"},
         x64=True)
    each("truncated_normal", {"lower": -1.5, "upper": 2.5, "shape": [7]}, x64=True)
    each("truncated_normal", {"lower": _jax_arg(-np.inf), "upper": _jax_arg(np.inf),
                              "shape": [7]})
    each("truncated_normal", {"lower": _jax_arg([-np.inf, 0.0]), "upper": 1.0, "shape": [3, 2]})
    bad("truncated_normal", {"lower": lower3, "upper": 2.0, "shape": [2]})
    bad("truncated_normal", {"lower": -1.0, "upper": 1.0, "shape": [2], "dtype": "int32"})
    batched("truncated_normal", {"lower": -1.0, "upper": 2.0, "shape": [5]})

    # ---- gumbel
    for shape in JAX_SHAPES:
        each("gumbel", {"shape": shape, "dtype": "float32"})
    each("gumbel", {"shape": [7], "mode": "low"})
    for dtype in ("float16", "bfloat16"):
        for shape in ([7], [1000]):
            each("gumbel", {"shape": shape, "dtype": dtype})
    for shape in ([7], [1000]):
        each("gumbel", {"shape": shape, "dtype": "float64"}, x64=True)
    each("gumbel", {"shape": [7]}, x64=True)
    for mode in ("high", "highest"):  # "highest" differs from "high" for float32 only
        each("gumbel", {"shape": [33], "mode": mode})
        each("gumbel", {"shape": [7], "dtype": "float16", "mode": mode})
        each("gumbel", {"shape": [7], "dtype": "float64", "mode": mode}, x64=True)
    each("gumbel", {"shape": [1000], "mode": "highest"})
    bad("gumbel", {"shape": [2], "mode": "max"})
    bad("gumbel", {"shape": [2], "dtype": "int32"})
    batched("gumbel", {"shape": [5]}, keys=BATCHED_KEYS)

    # ---- parameterless float samplers
    for fn in ("laplace", "exponential", "logistic", "cauchy", "maxwell"):
        shapes = JAX_SHAPES if fn in ("laplace", "exponential") else [[], [7], [33], [1000]]
        for shape in shapes:
            each(fn, {"shape": shape, "dtype": "float32"})
        for dtype in ("float16", "bfloat16"):
            each(fn, {"shape": [33], "dtype": dtype})
        each(fn, {"shape": [7], "dtype": "float64"}, x64=True)
        each(fn, {"shape": [7]}, x64=both)
        bad(fn, {"shape": [2], "dtype": "int32"})
    for fn in ("laplace", "exponential", "maxwell"):
        batched(fn, {"shape": [5]})

    # ---- rademacher
    for shape in ([], [7], [1000]):
        each("rademacher", {"shape": shape})
    for dtype in ("int8", "uint8", "int16", "uint32", "float32", "float16", "bfloat16", "bool",
                  "int64"):  # int64 without x64: int32
        each("rademacher", {"shape": [7], "dtype": dtype})
    each("rademacher", {"shape": [7], "dtype": "int64"}, x64=True)
    each("rademacher", {"shape": [7]}, x64=True)
    each("rademacher", {"shape": [7], "dtype": "float64"}, x64=True)
    batched("rademacher", {"shape": [5]})

    # ---- one-parameter samplers. The float64 cases take Python-float parameters
    # under x64; their dtype=None twins share the compilation.
    each("lognormal", {})  # sigma defaults to np.float32(1)
    each("lognormal", {"shape": [1000]})
    for sigma in (0.5, 100.0, 1e-30, 0.0):
        each("lognormal", {"sigma": sigma, "shape": [7]})
    each("lognormal", {"sigma": _jax_arg([0.1, 1.0, 3.0])})
    each("lognormal", {"sigma": _jax_arg([0.1, 1.0, 3.0]), "shape": [2, 3]})
    for dtype in ("float16", "bfloat16"):
        each("lognormal", {"sigma": 0.5, "shape": [7], "dtype": dtype})
    each("lognormal", {"sigma": 0.5, "shape": [7], "dtype": "float64"}, x64=True)
    each("lognormal", {"sigma": 0.5, "shape": [7]}, x64=True)
    # The default sigma, np.float32(1), does not cast safely to 16 bits.
    bad("lognormal", {"shape": [2], "dtype": "float16"})
    bad("lognormal", {"sigma": _jax_arg([0.1, 1.0, 3.0]), "shape": [2]})
    bad("lognormal", {"shape": [2], "dtype": "int32"})

    b3 = _jax_arg([0.5, 1.0, 5.0])
    for fn, name, values in (("pareto", "b", (3.0, 1e-3, 1e30)),
                             ("rayleigh", "scale", (1.0, 1e-30, 1e30, 0.0)),
                             ("wald", "mean", (1.0, 3.0, 1e-3, 1e4))):
        for shape in ([], [1000]):
            each(fn, {name: values[0], "shape": shape})
        for value in values:
            each(fn, {name: value, "shape": [7]})
        each(fn, {name: b3})
        each(fn, {name: b3, "shape": [4, 3]})
        for dtype in ("float16", "bfloat16"):
            each(fn, {name: values[0], "shape": [7], "dtype": dtype})
        each(fn, {name: values[0], "shape": [7], "dtype": "float64"}, x64=True)
        each(fn, {name: values[0], "shape": [7]}, x64=True)
        bad(fn, {name: b3, "shape": [2]})
        bad(fn, {name: values[0], "shape": [2], "dtype": "int32"})
    each("pareto", {"b": 2, "shape": [7]})
    each("pareto", {"b": _jax_arg([0.5, 1.0, 5.0], "float64"), "dtype": "float64"}, x64=True)
    bad("pareto", {"b": b3, "dtype": "float16"})  # float32 does not cast safely to float16
    bad("pareto", {"b": _jax_arg([0.5, 1.0, 5.0], "float64"), "dtype": "float32"}, x64=True)

    # ---- double_sided_maxwell, weibull_min, triangular: several parameters
    for shape in ([], [1000]):
        each("double_sided_maxwell", {"loc": 0.0, "scale": 1.0, "shape": shape})
    for loc, scale in ((0.0, 1.0), (2.0, 0.5), (-1e30, 1e-30)):
        each("double_sided_maxwell", {"loc": loc, "scale": scale, "shape": [7]})
    # The result shape is shape + the parameters' shape (shape () counts as theirs).
    loc3 = _jax_arg([0, 10, 20])
    each("double_sided_maxwell", {"loc": loc3, "scale": 1.0})
    each("double_sided_maxwell", {"loc": loc3, "scale": _jax_arg([[1.0], [2.0]]), "shape": [2]})
    for dtype in ("float16", "bfloat16"):
        each("double_sided_maxwell", {"loc": 0.0, "scale": 1.0, "shape": [7], "dtype": dtype})
    each("double_sided_maxwell", {"loc": 2.0, "scale": 0.5, "shape": [7]}, x64=True)

    for shape in ([], [1000]):
        each("weibull_min", {"scale": 1.0, "concentration": 2.0, "shape": shape})
    # 1 / concentration: a Python float is inverted in float64, then rounded.
    for scale, concentration in ((1.0, 2.0), (2.0, 3.0), (1.0, 1e-3)):
        each("weibull_min", {"scale": scale, "concentration": concentration, "shape": [7]})
    each("weibull_min", {"scale": _jax_arg([1.0, 2.0, 3.0]),
                         "concentration": _jax_arg([[0.5], [3.0]]), "shape": [2, 3]})
    # With shape () one uniform is broadcast against array parameters.
    each("weibull_min", {"scale": _jax_arg([1.0, 2.0, 3.0]), "concentration": 1.5})
    for dtype in ("float16", "bfloat16"):
        each("weibull_min", {"scale": 1.0, "concentration": 3.0, "shape": [7], "dtype": dtype})
    each("weibull_min", {"scale": 2.0, "concentration": 3.0, "shape": [7]}, x64=True)
    bad("weibull_min", {"scale": _jax_arg([1.0, 2.0, 3.0]), "concentration": 1.0, "shape": [2]})

    for shape in ([], [1000]):
        each("triangular", {"left": -1.0, "mode": 0.5, "right": 2.0, "shape": shape})
    for left, mode, right in ((-1.0, 0.5, 2.0), (0.0, 0.0, 1.0), (0.0, 1.0, 1.0),
                              (1.0, 1.0, 1.0)):
        each("triangular", {"left": left, "mode": mode, "right": right, "shape": [7]})
    each("triangular", {"left": _jax_arg([0, 1, 2]), "mode": 2.5,
                        "right": _jax_arg([[3], [4]])})
    for dtype in ("float16", "bfloat16"):
        each("triangular", {"left": -1.0, "mode": 0.5, "right": 2.0, "shape": [7],
                            "dtype": dtype})
    each("triangular", {"left": -1.0, "mode": 0.5, "right": 2.0, "shape": [7]}, x64=True)
    bad("triangular", {"left": 0.0, "mode": _jax_arg([0.5, 0.5, 0.5]), "right": 1.0,
                       "shape": [2]})

    # ---- geometric
    for shape in ([], [1000]):
        each("geometric", {"p": 0.3, "shape": shape})
    for p in (0.3, 0.0, 1.0, 0.999, 1e-6):  # p = 0: the dtype's maximum
        each("geometric", {"p": p, "shape": [7]})
    each("geometric", {"p": 0.3, "shape": [7], "dtype": "int64"})  # int32
    each("geometric", {"p": p3})
    each("geometric", {"p": p3, "shape": [4, 3]})
    for dtype in ("int8", "uint8", "int16", "uint32"):
        each("geometric", {"p": 0.01, "shape": [7], "dtype": dtype})
    each("geometric", {"p": 0.3, "shape": [7], "dtype": "int64"}, x64=True)
    each("geometric", {"p": 0.3, "shape": [7]}, x64=True)
    each("geometric", {"p": _jax_arg([0.1, 0.5, 0.9], "float16"), "shape": [2, 3]})
    bad("geometric", {"p": 0.5, "shape": [2], "dtype": "float32"})
    bad("geometric", {"p": p3, "shape": [2]})

    # ---- orthogonal, multivariate_normal (LAPACK inside)
    for n in (1, 3):
        each("orthogonal", {"n": n})
    each("orthogonal", {"n": 3, "shape": [2]})
    each("orthogonal", {"n": 3, "m": 5})
    each("orthogonal", {"n": 5, "m": 3})
    each("orthogonal", {"n": 4, "dtype": "float64"}, x64=True)
    each("orthogonal", {"n": 3, "dtype": "complex64"})
    each("orthogonal", {"n": 3, "dtype": "complex128"}, x64=True)

    mean2 = _jax_arg([0, 0])
    eye2 = _jax_arg(np.eye(2))
    each("multivariate_normal", {"mean": mean2, "cov": eye2})
    for cov in (eye2, _jax_arg([[1, 2], [2, 1]])):  # [[1, 2], [2, 1]]: not positive definite
        each("multivariate_normal", {"mean": mean2, "cov": cov, "shape": [7]})
    spd = _jax_arg([[2, 0.5, 0.1], [0.5, 1, 0.2], [0.1, 0.2, 0.5]])
    for method in ("cholesky", "svd", "eigh"):
        each("multivariate_normal", {"mean": _jax_arg([1, 2, 3]), "cov": spd, "shape": [33],
                                     "method": method})
    each("multivariate_normal", {"mean": _jax_arg(np.arange(8).reshape(4, 2)), "cov": eye2})
    covs = _jax_arg([[[1, 0.3], [0.3, 2]], [[0.5, -0.2], [-0.2, 0.25]]])
    each("multivariate_normal", {"mean": mean2, "cov": covs, "shape": [3, 2]})
    each("multivariate_normal", {"mean": _jax_arg([1, -1], "float64"),
                                 "cov": _jax_arg([[2, 0.6], [0.6, 1]], "float64"),
                                 "shape": [7]}, x64=True)
    # dtype sets the normal draws only; the result takes mean's dtype (float32 here).
    each("multivariate_normal", {"mean": mean2, "cov": eye2, "shape": [7], "dtype": "float16"})
    each("multivariate_normal", {"mean": _jax_arg([1, 2], "int32"),
                                 "cov": _jax_arg(np.eye(2), "int32"), "shape": [7]})
    bad("multivariate_normal", {"mean": 0.0, "cov": eye2})
    bad("multivariate_normal", {"mean": mean2, "cov": _jax_arg(np.eye(3))})
    bad("multivariate_normal", {"mean": mean2, "cov": eye2, "method": "qr"})
    bad("multivariate_normal", {"mean": _jax_arg(np.zeros((3, 2))), "cov": eye2, "shape": [2]})
    batched("multivariate_normal", {"mean": mean2, "cov": eye2, "shape": [2]})

    # ---- the gamma family: 1.5-2.5 s per compilation, so one shape each and the
    # edge values ride along.
    for a in (2.0, 1.0, 0.5, 1e-3, 1e4, 0.0, -1.0):
        each("gamma", {"a": a, "shape": [7]})
    a4 = _jax_arg([0.1, 1.0, 10.0, 100.0])
    each("gamma", {"a": 2.0, "shape": [1000]})
    each("gamma", {"a": a4})
    for a in (2.0, 1e-3):
        each("gamma", {"a": a, "shape": [7], "dtype": "float64"}, x64=True)
    each("gamma", {"a": 2.0, "shape": [7], "dtype": "float16"})
    bad("gamma", {"a": _jax_arg([1.0, 2.0, 3.0]), "shape": [2]})
    bad("gamma", {"a": 1.0, "shape": [2], "dtype": "int32"})
    batched("gamma", {"a": 2.0, "shape": [3]})

    for a in (1.0, 0.5, 1e-3, 1e-30, 1e4):
        each("loggamma", {"a": a, "shape": [7]})
    each("loggamma", {"a": a4})
    each("loggamma", {"a": 1e-3, "shape": [7]}, x64=True)
    for a, b in ((2.0, 3.0), (0.5, 0.5), (1e-3, 1e-3), (1e3, 1.0)):
        each("beta", {"a": a, "b": b, "shape": [7]})
    each("beta", {"a": _jax_arg([0.5, 1.0, 4.0]), "b": _jax_arg([[1.0], [3.0]])})
    bad("beta", {"a": _jax_arg([1.0, 2.0, 3.0]), "b": 1.0, "shape": [2]})
    for alpha in ([0.5, 1.0, 2.0], [1e-3, 1e-3, 1e-3], [10.0, 10.0, 10.0]):
        each("dirichlet", {"alpha": _jax_arg(alpha), "shape": [7]})
    each("dirichlet", {"alpha": _jax_arg([[0.5, 1.0, 2.0], [10.0, 10.0, 10.0]])})
    each("dirichlet", {"alpha": _jax_arg([0.5, 1.0, 2.0], "float64"), "shape": [7]}, x64=True)
    bad("dirichlet", {"alpha": 1.0})
    bad("dirichlet", {"alpha": _jax_arg(np.ones((2, 3))), "shape": [4]})
    for df in (1.0, 3.5, 0.1, 100.0):
        each("chisquare", {"df": df, "shape": [7]})
    each("chisquare", {"df": a4})
    each("chisquare", {"df": 3.0, "shape": [7]}, x64=True)
    bad("chisquare", {"df": _jax_arg([1.0, 2.0, 3.0]), "shape": [2]})
    for dfnum, dfden in ((2.0, 5.0), (0.5, 0.5), (100.0, 1.0)):
        each("f", {"dfnum": dfnum, "dfden": dfden, "shape": [7]})
    each("f", {"dfnum": _jax_arg([1.0, 5.0, 50.0]), "dfden": 5.0})
    each("f", {"dfnum": 2.0, "dfden": 5.0, "shape": [7]}, x64=True)
    # f divides with lax.div, which does not broadcast across ranks.
    bad("f", {"dfnum": _jax_arg([1.0, 5.0, 50.0]), "dfden": 5.0, "shape": [2, 3]})
    for df in (3.0, 1.0, 0.5, 1e4):
        each("t", {"df": df, "shape": [7]})
    each("t", {"df": a4})
    bad("t", {"df": _jax_arg([1.0, 2.0, 3.0]), "shape": [2]})
    # 1 / p is computed on the traced p (float32 without x64).
    for p in (1.5, 1.0, 2.0, 0.5, 5.0):
        each("generalized_normal", {"p": p, "shape": [7]})
    each("generalized_normal", {"p": 1.5, "shape": [7]}, x64=True)
    each("generalized_normal", {"p": 1.5, "shape": [7], "dtype": "float16"})
    for p in (2.0, 1.0, 0.5):
        each("ball", {"d": 3, "p": p, "shape": [7]})
    each("ball", {"d": 2, "shape": [4, 5]})
    bad("ball", {"d": 2.0, "shape": [3]})

    # ---- poisson: Knuth's product for lam < 10, else rejection; lam is float32.
    for lam in (3.0, 0.0, 0.5, 9.99, 10.0, 50.0, 1e4, 1e6, -1.0, 1e10):
        each("poisson", {"lam": lam, "shape": [64]})
    for lam in (4.0, 100.0):
        each("poisson", {"lam": lam, "shape": [1000]})
    each("poisson", {"lam": _jax_arg([[0.0, 1.0, 9.9], [10.0, 1000.0, np.nan]])})
    each("poisson", {"lam": _jax_arg([[1.0], [20.0]]), "shape": [2, 3]})
    each("poisson", {"lam": 3.0, "shape": [64]}, x64=True)  # int64; lam still float32
    each("poisson", {"lam": 200.0, "shape": [64], "dtype": "int8"})
    bad("poisson", {"lam": 3.0, "shape": [2], "dtype": "float32"})
    bad("poisson", {"lam": _jax_arg([1.0, 2.0, 3.0]), "shape": [2]})
    batched("poisson", {"lam": _jax_arg([3.0, 30.0]), "shape": [4, 2]})

    # ---- binomial: inversion while n * min(p, 1 - p) <= 10, else BTRS.
    for n, p in ((10.0, 0.3), (0.0, 0.3), (10.0, 0.0), (10.0, 1.0), (1000.0, 0.5),
                 (1000.0, 0.01), (50.0, 0.7), (1e6, 0.3), (5.5, 0.5), (-1.0, 0.3)):
        each("binomial", {"n": n, "p": p, "shape": [7]})
    each("binomial", {"n": _jax_arg([0, 10, 1000], "int32"), "p": _jax_arg([[0.2], [0.9]])})
    each("binomial", {"n": 20.0, "p": 0.4, "shape": [1000]})
    each("binomial", {"n": 10.0, "p": 0.3, "shape": [7]}, x64=True)
    each("binomial", {"n": 10.0, "p": 0.3, "shape": [7], "dtype": "float16"})
    bad("binomial", {"n": 10.0, "p": 0.3, "shape": [2], "dtype": "int32"})

    # ---- multinomial: binomials in a scan, compiled again on every call: one key.
    for args in ({"n": 10, "p": _jax_arg([0.2, 0.3, 0.5])},
                 {"n": _jax_arg([5, 50], "int32"),
                  "p": _jax_arg([[0.2, 0.3, 0.5], [0.6, 0.2, 0.2]]),
                  "shape": [2, 3], "dtype": "int32"},
                 {"n": 1000.0, "p": _jax_arg([1.0, 0.0, 6.0, 3.0])}):  # p need not sum to 1
        each("multinomial", args, keys=[KEY_DENSE])
    return cases


# --------------------------------------------------------------------------- host

# XLA compiles for the CPU it runs on, and two of its choices change the
# numbers (keyrand/jax/_host.py): float16 multiply-adds are contracted only with
# native float16 arithmetic, and float32 rsqrt (every gamma-family sampler) is
# the CPU's own estimate, refined once on AMD (XLA's test: SSE4A) and twice
# elsewhere. Each file records the host it was made on; the cases whose
# numbers depend on it are also kept per kind of host, in jax_host_<kind>.json.
RSQRT_FNS = {"gamma", "loggamma", "beta", "dirichlet", "chisquare", "f", "t",
             "generalized_normal", "ball"}


def host_dependent(fn: str, args: dict, mode: str, x64: bool) -> bool:
    """A case whose JAX numbers may differ between kinds of host."""
    return fn in RSQRT_FNS or re.search(r"(?<!b)float16", json.dumps(args)) is not None


def _cpuinfo() -> dict:
    """First processor's fields of /proc/cpuinfo (Linux), else {}."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return {}
    fields = {}
    for line in text.split("\n\n")[0].splitlines():
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def host_info() -> dict:
    """The generating CPU, its features that change XLA's numbers, and the
    keyrand.jax host profile (keyrand.jax.HostProfile) that reproduces them."""
    import platform
    info = _cpuinfo()
    machine = platform.machine().lower()
    x86 = machine in ("x86_64", "amd64")
    # x86 lists "flags", arm64 "Features"; under qemu-user /proc/cpuinfo is the
    # host's, of another architecture: then no features are known here.
    flags = set(info.get("flags" if x86 else "Features", "").split())
    if x86:
        fp16 = "avx512_fp16" in flags
        steps = 0 if "avx" not in flags else (1 if "sse4a" in flags else 2)
        vendor = "amd" if "sse4a" in flags else "intel"
    else:
        fp16 = {"fphp", "asimdhp"} <= flags
        steps, vendor = 0, "arm" if machine in ("aarch64", "arm64") else machine
    relevant = sorted(flags & {"avx", "avx2", "fma", "f16c", "sse4a", "avx512f", "avx512_fp16",
                               "avx512_bf16", "fphp", "asimdhp", "bf16"})
    return {"cpu": info.get("model name") or info.get("CPU part") or platform.processor(),
            "vendor_id": info.get("vendor_id", ""),
            "family_model": f"{info.get('cpu family', '?')}/{info.get('model', '?')}",
            "machine": machine,
            "features": relevant, "profile": {"fp16": fp16, "rsqrt_steps": steps},
            "kind": f"{vendor}-{'fp16' if fp16 else 'nofp16'}"}


def host_file() -> str:
    return f"jax_host_{host_info()['kind']}.json"


def jax_host_cases() -> list[dict]:
    """The host-dependent subset of jax_sampling_cases, as this host computes it."""
    return jax_sampling_cases(only=host_dependent)


# --------------------------------------------------------------------------- files

FILES = {
    "foundation.json": [mlx_cases, jax_cases],
    "mlx_sampling.json": [mlx_sampling_cases],
    "x64_sampling.json": [jax_x64_cases],
    "jax_sampling.json": [jax_sampling_cases],
    host_file(): [jax_host_cases],
}


def generator_info() -> dict:
    import jax
    import mlx.core as mx

    return {"mlx": mx.__version__, "jax": jax.__version__, "numpy": np.__version__,
            "command": "python tests/golden/generate.py", "host": host_info()}


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

    names = sys.argv[1:] or list(FILES)
    unknown = set(names) - set(FILES)
    if unknown:
        raise SystemExit(f"unknown golden files {sorted(unknown)}; known: {list(FILES)}")
    for name in names:
        cases = [case for group in FILES[name] for case in group()]
        path = HERE / name
        write_file(path, cases)
        print(f"wrote {path} ({len(cases)} cases, {path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
