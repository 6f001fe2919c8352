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
    KR_TRUNCATED_NORMAL: int
    KR_EXPONENTIAL: int
    KR_LOGISTIC: int
    KR_LOGNORMAL: int
    KR_PARETO: int
    KR_RAYLEIGH: int
    KR_CAUCHY: int

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
    KR_F64: int

class XlaFn(enum.IntEnum):
    XLA_LOG: int
    XLA_LOG1P: int
    XLA_ERF: int
    XLA_ERFINV: int
    XLA_EXP: int

class Xla32Fn(enum.IntEnum):
    XLA32_LOG: int
    XLA32_LOG1P: int
    XLA32_EXP: int
    XLA32_ERF: int
    XLA32_ERFINV: int
    XLA32_TAN: int
    XLA32_LGAMMA: int
    XLA32_ERF_SCALAR: int

class Special(enum.IntEnum):
    SPECIAL_ERF: int
    SPECIAL_ERFINV: int
    SPECIAL_EXP: int

HALVES_MAX_WORDS: int
HAS_P: int
HAS_Q: int
UNSCALED: int

# box: (start, count) per dimension of `shape`, the part of the sample to compute.
Box = tuple[tuple[int, ...], tuple[int, ...]]
def stream(layout: int, keys: npt.NDArray[np.uint32], shape: tuple[int, ...], dtype: np.dtype,
           total: int, start: int = 0, out: np.ndarray | None = None,
           box: Box | None = None) -> np.ndarray: ...
def fill(layout: int, keys: npt.NDArray[np.uint32], total: int, start: int,
         out: npt.NDArray[np.uint8]) -> None: ...
def draw(dist: int, type: int, p: float, q: float, flags: int, lo: int, hi: int,
         keys: npt.NDArray[np.uint32], shape: tuple[int, ...], dtype: np.dtype,
         out: np.ndarray | None = None, box: Box | None = None) -> np.ndarray: ...
def draw_f64(dist: int, p: float, q: float, flags: int, keys: npt.NDArray[np.uint32],
             shape: tuple[int, ...], out: npt.NDArray[np.float64] | None = None,
             box: Box | None = None, layout: int = ...,
             r: float = 0.0) -> npt.NDArray[np.float64]: ...
def uniform_f64(f: npt.NDArray[np.float64], low: npt.NDArray[np.float64],
                high: npt.NDArray[np.float64], out: npt.NDArray[np.float64]) -> None: ...
def affine(z: npt.NDArray[np.floating], c: float, scale: npt.NDArray[np.floating] | None = None,
           loc: npt.NDArray[np.floating] | None = None) -> npt.NDArray[np.floating]: ...
def draw_jax_f32(dist: int, p: float, q: float, layout: int, keys: npt.NDArray[np.uint32],
                 shape: tuple[int, ...], out: npt.NDArray[np.float32] | None = None,
                 box: Box | None = None, r: float = 0.0) -> npt.NDArray[np.float32]: ...
def uniform_f32_jax(f: npt.NDArray[np.float32], low: npt.NDArray[np.float32],
                    high: npt.NDArray[np.float32], out: npt.NDArray[np.float32]) -> None: ...
def randint32_jax(hi: npt.NDArray[np.uint32], lo: npt.NDArray[np.uint32], span: int, mult: int,
                  base: int, out: npt.NDArray[np.uint32]) -> None: ...
def xla_f32(fn: int, x: npt.NDArray[np.float32], out: npt.NDArray[np.float32]) -> None: ...
def xla_rsqrt_f32(x: npt.NDArray[np.float32], steps: int,
                  out: npt.NDArray[np.float32]) -> None: ...
def xla_pow_f32(x: npt.NDArray[np.float32], y: npt.NDArray[np.float32],
                out: npt.NDArray[np.float32]) -> None: ...
def xla_pow_f64(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64],
                out: npt.NDArray[np.float64]) -> None: ...
def draw_wald_jax(layout: int, keys_a: npt.NDArray[np.uint32], keys_b: npt.NDArray[np.uint32],
                  shape: tuple[int, ...], mean: float) -> np.ndarray: ...
def draw_gamma_jax(layout: int, keys: npt.NDArray[np.uint32], shape: tuple[int, ...],
                   alpha: np.ndarray, log_space: bool, rsqrt_steps: int) -> np.ndarray: ...
def draw_poisson_jax(layout: int, keys: npt.NDArray[np.uint32], shape: tuple[int, ...],
                     lam: npt.NDArray[np.float32], dtype: np.dtype) -> np.ndarray: ...
def draw_binomial_jax(layout: int, keys: npt.NDArray[np.uint32], shape: tuple[int, ...],
                      count: npt.NDArray[np.float32],
                      prob: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]: ...
def draw_multinomial_jax(layout: int, keys: npt.NDArray[np.uint32], shape: tuple[int, ...],
                         count: npt.NDArray[np.float32],
                         prob: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]: ...
def draw_choice_p_jax(layout: int, keys: npt.NDArray[np.uint32], shape: tuple[int, ...],
                      p: npt.NDArray[np.floating], wide: bool) -> npt.NDArray[np.signedinteger]: ...
def fma(a: np.ndarray, b: np.ndarray, c: np.ndarray, out: np.ndarray) -> None: ...
def xla_f64(fn: int, x: npt.NDArray[np.float64], out: npt.NDArray[np.float64]) -> None: ...
def special_f32(fn: int, x: npt.NDArray[np.float32], out: npt.NDArray[np.float32]) -> None: ...
def sort_pairs_u32(keys: npt.NDArray[np.uint32], vals: npt.NDArray[np.uint32],
                   tmp_keys: npt.NDArray[np.uint32], tmp_vals: npt.NDArray[np.uint32]) -> None: ...
def set_num_threads(n: int) -> None: ...
def get_num_threads() -> int: ...
def default_num_threads() -> int: ...
def threefry2x32(key: npt.NDArray[np.uint32], ctr: npt.NDArray[np.uint32]) -> tuple[int, int]: ...
def fold_in(keys: npt.NDArray[np.uint32], data: int, out: npt.NDArray[np.uint32]) -> None: ...
def kernel_name() -> str: ...
def kernel_names() -> list[str]: ...
def compiled_kernels() -> list[str]: ...
def runnable_kernels() -> list[str]: ...
def select_kernel(name: str) -> int: ...
def compiler() -> str: ...
def sanitized() -> bool: ...
def global_seed(key: npt.NDArray[np.uint32]) -> None: ...
def global_next(clock_ms: int) -> npt.NDArray[np.uint32]: ...
def global_current() -> npt.NDArray[np.uint32] | None: ...
