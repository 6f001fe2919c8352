"""Known answers for the C samplers, from the golden vectors of the real MLX
and JAX, in a line format the C harness (samplers.c) reads:

    mlx <dist> <type> <k0> <k1> <p> <q> <flags> <lo> <hi> <n> <expected bytes, hex>
    x64 <dist> <k0> <k1> <p> <q> <flags> <n> <expected bytes, hex>
    xla <op> <x> <y>

p, q, x and y are float64 bit patterns in hex; flags say which of p, q were
given (1: p, 2: q). Only golden cases with scalar parameters and one key map
onto a single C sampler; the mapping mirrors keyrand/_sampling.py.

    python tests/c/sampler_answers.py OUT
"""
from __future__ import annotations

import json
import math
import struct
import sys
from pathlib import Path

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
MLX_TYPES = {"float32": "f32", "float16": "f16", "bfloat16": "bf16", "int8": "i8",
             "uint8": "u8", "int16": "i16", "uint16": "u16", "int32": "i32", "uint32": "u32",
             "int64": "i64", "uint64": "u64", "bool": "bool", "float64": "f64"}
# fn -> (dist, default p, default q, names of p and q)
SAMPLERS = {
    "uniform": ("uniform", 0.0, 1.0, ("low", "high")),
    "normal": ("normal", 0.0, 1.0, ("loc", "scale")),
    "laplace": ("laplace", 0.0, 1.0, ("loc", "scale")),
    "gumbel": ("gumbel", 0.0, 0.0, ()),
    "bernoulli": ("bernoulli", 0.5, 0.0, ("p",)),
    "truncated_normal": ("truncated_normal", 0.0, 0.0, ("lower", "upper")),
}


def _hex(x: float) -> str:
    return struct.pack(">d", float(x)).hex()


def _data_bytes(out: dict) -> str:
    size = {"float32": 4, "float16": 2, "bfloat16": 2, "float64": 8, "bool": 1, "int8": 1,
            "uint8": 1, "int16": 2, "uint16": 2, "int32": 4, "uint32": 4, "int64": 8,
            "uint64": 8}[out["dtype"]]
    return b"".join((v % (1 << 8 * size)).to_bytes(size, "little")
                    for v in map(int, out["data"])).hex() or "-"


def _scalar_args(case: dict) -> bool:
    args = case["args"]
    return ("error" not in case and len(args.get("key", [])) == 2
            and isinstance(args["key"][0], int)
            and not any(isinstance(v, dict) for v in args.values()))


def _sampler_line(case: dict, layout: str) -> str | None:
    fn, args = case["fn"], case["args"]
    if not _scalar_args(case) or args.get("dtype") == "complex64":
        return None  # complex64 pairs the C core's float32 erfinv in Python
    k0, k1 = args["key"]
    n = math.prod(case["out"]["shape"])
    expected = _data_bytes(case["out"])
    if fn == "randint":
        dtype = args.get("dtype") or "int32"  # None: MLX's default
        low, high = args["low"], args["high"]
        if dtype == "bool" or not (isinstance(low, int) and isinstance(high, int)):
            return None  # float bounds take the composed path (keyrand/_sampling.py)
        bits = 8 * {"i8": 1, "u8": 1, "i16": 2, "u16": 2, "i32": 4, "u32": 4}.get(
            MLX_TYPES[dtype], 8)
        least, most = (0, 2**bits - 1) if dtype.startswith("u") else \
            (-2**(bits - 1), 2**(bits - 1) - 1)
        if not (least <= low <= most and least <= (high - 1 if high > low else low) <= most):
            return None  # bounds beyond the dtype wrap in the composed path
        return (f"mlx randint {MLX_TYPES[dtype]} {k0} {k1} {_hex(0)} {_hex(0)} 0 "
                f"{args['low']} {args['high']} {n} {expected}")
    if fn not in SAMPLERS:
        return None
    dist, p, q, names = SAMPLERS[fn]
    flags = 0
    values = [p, q]
    for i, name in enumerate(names):
        if args.get(name) is not None:
            values[i] = args[name]
            flags |= 1 << i
    p, q = values
    if layout == "x64":
        return f"x64 {dist} {k0} {k1} {_hex(p)} {_hex(q)} {flags} {n} {expected}"
    if fn == "truncated_normal":
        return None  # float32 truncated_normal is composed in Python
    dtype = "bool" if fn == "bernoulli" else args.get("dtype") or "float32"
    return (f"mlx {dist} {MLX_TYPES[dtype]} {k0} {k1} {_hex(p)} {_hex(q)} {flags} 0 0 "
            f"{n} {expected}")


def lines() -> list[str]:
    out = []
    mlx = json.loads((GOLDEN / "mlx_sampling.json").read_text())["cases"]
    x64 = json.loads((GOLDEN / "x64_sampling.json").read_text())["cases"]
    for case in mlx:
        line = _sampler_line(case, "mlx")
        if line:
            out.append(line)
    for case in x64:
        if case["fn"] == "xla_f64":
            xs = case["args"]["x"]["array"]
            for x, y in zip(xs, case["out"]["data"]):
                out.append(f"xla {case['args']['op']} {x:016x} {y:016x}")
            continue
        line = _sampler_line(case, "x64")
        if line:
            out.append(line)
    return out


def write(path: Path) -> int:
    text = lines()
    path.write_text("\n".join(text) + "\n")
    return len(text)


if __name__ == "__main__":
    print(write(Path(sys.argv[1])), "answers")
