# Type stub for the compiled binding src/pyx/_core.pyx.
import enum

import numpy as np
import numpy.typing as npt

class Layout(enum.IntEnum):
    HALVES_WORDS: int
    HALVES_BYTES: int
    HALVES_U64: int
    PART_U8: int
    PART_U16: int
    PART_U32: int
    PART_U64: int
    PART_KEYS: int
    LAYOUT_COUNT: int

class kr_dist(enum.IntEnum):
    KR_UNIFORM: int
    KR_NORMAL: int
    KR_LAPLACE: int
    KR_GUMBEL: int
    KR_BERNOULLI: int
    KR_RANDINT: int

class kr_type(enum.IntEnum):
    KR_F32: int
    KR_F16: int
    KR_BF16: int
    KR_BOOL: int
    KR_I8: int
    KR_U8: int
    KR_I16: int
    KR_U16: int
    KR_I32: int
    KR_U32: int
    KR_I64: int
    KR_U64: int

class Special(enum.IntEnum):
    SPECIAL_ERF: int
    SPECIAL_ERFINV: int
    SPECIAL_EXP: int

HALVES_MAX_WORDS: int

def fill(layout: int, keys: npt.NDArray[np.uint32], total: int, start: int,
         out: npt.NDArray[np.uint8]) -> None: ...
def sample(dist: int, type: int, a: float, b: float, has_loc: bool, has_scale: bool,
           lo: int, hi: int, keys: npt.NDArray[np.uint32], total: int, start: int,
           out: npt.NDArray[np.uint8]) -> None: ...
def special_f32(which: int, x: npt.NDArray[np.float32], out: npt.NDArray[np.float32]) -> None: ...
def threefry2x32(key: npt.NDArray[np.uint32], ctr: npt.NDArray[np.uint32]) -> tuple[int, int]: ...
def fold_in(keys: npt.NDArray[np.uint32], data: int, out: npt.NDArray[np.uint32]) -> None: ...
def kernel_name() -> str: ...
def kernel_names() -> list[str]: ...
def compiled_kernels() -> list[str]: ...
def runnable_kernels() -> list[str]: ...
def select_kernel(name: str) -> int: ...
def compiler() -> str: ...
