"""dtype rules: which NumPy dtypes each sampler produces, and how names from
NumPy, ml_dtypes and MLX are understood."""
from __future__ import annotations

import ml_dtypes
import numpy as np

from ._core import kr_type

BFLOAT16 = np.dtype(ml_dtypes.bfloat16)

FLOAT_TYPES = {
    np.dtype(np.float32): kr_type.KR_F32,
    np.dtype(np.float16): kr_type.KR_F16,
    BFLOAT16: kr_type.KR_BF16,
    np.dtype(np.float64): kr_type.KR_F64,  # defined as JAX's x64 samplers
}

INT_TYPES = {
    np.dtype(np.int8): kr_type.KR_I8, np.dtype(np.uint8): kr_type.KR_U8,
    np.dtype(np.int16): kr_type.KR_I16, np.dtype(np.uint16): kr_type.KR_U16,
    np.dtype(np.int32): kr_type.KR_I32, np.dtype(np.uint32): kr_type.KR_U32,
    np.dtype(np.int64): kr_type.KR_I64, np.dtype(np.uint64): kr_type.KR_U64,
}


def to_numpy_dtype(dtype, name: str = "dtype") -> np.dtype:
    """A NumPy dtype from NumPy/ml_dtypes dtypes, their names, or MLX dtypes."""
    if type(dtype).__module__.startswith("mlx"):
        dtype = str(dtype).rsplit(".", 1)[-1]  # mlx.core.float16 -> float16
    if isinstance(dtype, str) and dtype == "bfloat16":
        return BFLOAT16
    try:
        return np.dtype(dtype)
    except (TypeError, ValueError, SyntaxError) as exc:  # NumPy parses strings: any of these
        raise TypeError(f"{name} must be a dtype; got {dtype!r}") from exc


# The common spellings (np.float32, "float32", the dtype itself) looked up
# directly: dtype conversion would otherwise dominate a small call.
# Plain ints: an IntEnum argument costs a Python-level conversion per call.
_FLOAT_SPELLINGS = {spelling: (dt, int(kt)) for dt, kt in FLOAT_TYPES.items()
                    for spelling in (dt, dt.type, dt.name)}


def float_dtype(dtype, name: str = "dtype") -> tuple[np.dtype, kr_type]:
    """A float sampler's dtype and its C type; None is MLX's default, float32."""
    if dtype is None:
        dtype = np.float32
    try:
        return _FLOAT_SPELLINGS[dtype]
    except (KeyError, TypeError):
        pass
    dt = to_numpy_dtype(dtype, name)
    if dt not in FLOAT_TYPES:
        # a dtype of the wrong kind: MLX's ValueError (not a dtype at all: TypeError)
        raise ValueError(f"{name} must be float32, float16, bfloat16 or float64; got {dt}")
    return dt, int(FLOAT_TYPES[dt])


# Integer dtypes by their common spellings, with their (min, max).
_INT_SPELLINGS = {spelling: (dt, int(kt), int(np.iinfo(dt).min), int(np.iinfo(dt).max))
                  for dt, kt in INT_TYPES.items() for spelling in (dt, dt.type, dt.name)}


def int_dtype(dtype, name: str = "dtype") -> tuple[np.dtype, kr_type]:
    """An integer sampler's dtype and its C type; None is MLX's default, int32."""
    dt = to_numpy_dtype(np.int32 if dtype is None else dtype, name)
    if dt not in INT_TYPES:
        raise ValueError(f"{name} must be an integer dtype (int8 ... uint64); got {dt}")
    return dt, int(INT_TYPES[dt])


def int_dtype_fast(dtype):
    """(dtype, kr_type, min, max) for a common spelling of an integer dtype, else None."""
    try:
        return _INT_SPELLINGS.get(dtype)
    except TypeError:  # unhashable
        return None
