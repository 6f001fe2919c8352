"""Which kernel runs, and how to ask: the KEYRAND_SIMD environment variable
(read once, at import), set_simd_kernel(), simd_kernel(), show_config()."""
from __future__ import annotations

import os
import platform
import sys

import numpy as np

from . import _core
from ._version import __version__

ENV_VAR = "KEYRAND_SIMD"


def simd_kernel() -> str:
    """Name of the kernel in use: ``"scalar"``, ``"avx2"``, ``"avx512"`` or ``"neon"``.

    Example:
        >>> import keyrand as kr
        >>> kr.simd_kernel() in kr.available_simd_kernels()
        True
    """
    return _core.kernel_name()


def available_simd_kernels() -> list[str]:
    """Kernels this build contains and this CPU (and OS) can run, slowest first.

    Example:
        >>> import keyrand as kr
        >>> "scalar" in kr.available_simd_kernels()
        True
    """
    return _core.runnable_kernels()


def set_simd_kernel(name: str) -> None:
    """Switch the kernel used by every later call (``"auto"`` picks the best).

    All kernels produce identical bits; this exists for benchmarks and tests.
    The switch is atomic, so concurrent calls see either kernel, never a mix.

    Example:
        >>> import keyrand as kr
        >>> previous = kr.simd_kernel()
        >>> kr.set_simd_kernel("scalar")
        >>> kr.simd_kernel()
        'scalar'
        >>> kr.set_simd_kernel(previous)
    """
    if not isinstance(name, str):
        raise TypeError(f"kernel name must be a str; got {type(name).__name__}")
    if "\x00" in name:  # C would read only the part before it
        raise ValueError(f"unknown SIMD kernel name {name!r}; choose one of "
                         f"{', '.join(_core.kernel_names())} or 'auto'")
    if name == "auto":
        name = _core.runnable_kernels()[-1]
    rc = _core.select_kernel(name)
    if rc == -1 and name not in _core.kernel_names():
        raise ValueError(f"unknown SIMD kernel name {name!r}; choose one of "
                         f"{', '.join(_core.kernel_names())} or 'auto'")
    if rc != 0:
        where = "this build does not contain it" if rc == -1 else \
            "this CPU (or its operating system) does not support it"
        raise RuntimeError(f"cannot use the {name!r} kernel: {where}; runnable here: "
                           f"{', '.join(_core.runnable_kernels())}")


def apply_environment() -> None:
    """Honour KEYRAND_SIMD; a kernel this machine cannot run is an error."""
    requested = os.environ.get(ENV_VAR, "").strip().lower()
    if not requested:
        return
    try:
        set_simd_kernel(requested)
    except (ValueError, RuntimeError) as exc:
        raise RuntimeError(f"{ENV_VAR}={requested}: {exc}") from None


def config() -> dict:
    """The build and run-time configuration as a dict (see show_config)."""
    return {
        "version": __version__,
        "kernel": simd_kernel(),
        "runnable_kernels": available_simd_kernels(),
        "compiled_kernels": _core.compiled_kernels(),
        f"{ENV_VAR}": os.environ.get(ENV_VAR, ""),
        "threads": _core.get_num_threads(),
        "KEYRAND_NUM_THREADS": os.environ.get("KEYRAND_NUM_THREADS", ""),
        "compiler": _core.compiler(),
        "sanitizers": "address, undefined" if _core.sanitized() else "",
        "machine": platform.machine(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
    }


def show_config() -> None:
    """Print the version, the active and available kernels and the build.

    Example:
        >>> import keyrand as kr
        >>> kr.show_config()  # doctest: +SKIP
        keyrand 0.1.0
          kernel           avx512
          ...
    """
    cfg = config()
    print(f"keyrand {cfg.pop('version')}")
    for name, value in cfg.items():
        if isinstance(value, list):
            value = ", ".join(value)
        print(f"  {name:<21}{value or '-'}")
