"""The two jax.config switches keyrand.jax mirrors: the Threefry mode and
64-bit mode, each a global default plus per-context overrides."""
from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import sys
import threading
import warnings

import numpy as np


def _as_flag(value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"flag must be a bool; got {type(value).__name__}")
    return bool(value)


class _Flag:
    """A global value plus per-context overrides, as jax.config flags behave;
    `convert` validates a new value (a bool by default). All flags' defaults
    sit in one tuple and their overrides in one context variable, so a
    fixed_modes call holds every value at the cost of one read."""

    def __init__(self, name: str, default, convert=_as_flag):
        global _DEFAULTS
        self.name = name
        self.convert = convert
        self.index = len(_DEFAULTS)
        _DEFAULTS = _DEFAULTS + (default,)

    @property
    def default(self):
        return _DEFAULTS[self.index]

    def get(self):
        fixed = _FIXED.get()
        if fixed is not None:
            return fixed[self.index]
        overrides = _OVERRIDES.get()
        value = None if overrides is None else overrides[self.index]
        return _DEFAULTS[self.index] if value is None else value

    def set_default(self, value) -> None:
        global _DEFAULTS
        value = self.convert(value)
        with _DEFAULTS_LOCK:  # one tuple replaced whole: readers see one or the other
            _DEFAULTS = _DEFAULTS[:self.index] + (value,) + _DEFAULTS[self.index + 1:]

    @contextlib.contextmanager
    def scoped(self, value):
        value = self.convert(value)
        overrides = _OVERRIDES.get() or (None,) * len(_DEFAULTS)
        token = _OVERRIDES.set(_replaced(overrides, self.index, value))
        fixed = _FIXED.get()
        # Inside a fixed_modes call the held values answer get(): hold this one too.
        held = None if fixed is None else _FIXED.set(_replaced(fixed, self.index, value))
        try:
            yield
        finally:
            if held is not None:
                _FIXED.reset(held)
            _OVERRIDES.reset(token)


def _replaced(values: tuple, index: int, value) -> tuple:
    return values[:index] + (value,) + values[index + 1:]


def _current() -> tuple:
    """Every flag's value here: the overrides of this context over the defaults."""
    overrides, defaults = _OVERRIDES.get(), _DEFAULTS
    if overrides is None:
        return defaults
    return tuple([d if o is None else o for d, o in zip(defaults, overrides)])


_DEFAULTS: tuple = ()  # every flag's global value, by _Flag.index
_DEFAULTS_LOCK = threading.Lock()
_OVERRIDES = contextvars.ContextVar("keyrand_jax_overrides", default=None)
# Every flag's value, held for the duration of a fixed_modes call (None outside one).
_FIXED = contextvars.ContextVar("keyrand_jax_fixed_modes", default=None)


def fixed_modes(fn):
    """Decorator for public functions that read a flag more than once: every
    flag's value at entry is held for the whole call, as JAX fixes them when
    it traces, so a set_*() from another thread mid-call cannot give a result
    of two modes. The held values live in a copy of the caller's context,
    which no interrupt can leave behind."""
    @functools.wraps(fn)
    def call(*args, **kwargs):
        if _FIXED.get() is not None:
            return fn(*args, **kwargs)
        return contextvars.copy_context().run(_call_fixed, fn, args, kwargs)
    return call


def _call_fixed(fn, args, kwargs):
    _FIXED.set(_current())
    return fn(*args, **kwargs)


_PARTITIONABLE = _Flag("keyrand_jax_threefry_partitionable", True)
_X64 = _Flag("keyrand_jax_enable_x64", False)


def set_threefry_partitionable(flag: bool) -> None:
    """Choose the Threefry mode globally, as
    ``jax.config.update("jax_threefry_partitionable", flag)``. Default True.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.set_threefry_partitionable(False)
        >>> jr.is_threefry_partitionable()
        False
        >>> jr.set_threefry_partitionable(True)
    """
    _PARTITIONABLE.set_default(flag)


def threefry_partitionable(flag: bool):
    """Use the given Threefry mode inside a ``with`` block (this thread and
    context only), like ``jax.threefry_partitionable``.

    Example:
        >>> from keyrand import jax as jr
        >>> with jr.threefry_partitionable(False):
        ...     legacy = jr.split(jr.PRNGKey(0))
    """
    return _PARTITIONABLE.scoped(flag)


def is_threefry_partitionable() -> bool:
    """Whether the partitionable Threefry mode is in force here.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.is_threefry_partitionable()
        True
    """
    return _PARTITIONABLE.get()


def set_enable_x64(flag: bool) -> None:
    """Mirror ``jax_enable_x64`` globally: with it, seeds keep 64 bits and the
    default ``bits`` dtype is uint64. Default False.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.set_enable_x64(True)
        >>> jr.PRNGKey(2**32 + 5)
        array([1, 5], dtype=uint32)
        >>> jr.set_enable_x64(False)
    """
    _X64.set_default(flag)


def enable_x64(flag: bool = True):
    """``set_enable_x64`` for the duration of a ``with`` block (this context only).

    Example:
        >>> from keyrand import jax as jr
        >>> with jr.enable_x64():
        ...     jr.bits(jr.PRNGKey(0), (2,)).dtype
        dtype('uint64')
    """
    return _X64.scoped(flag)


def x64_enabled() -> bool:
    """Whether 64-bit mode is in force here.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.x64_enabled()
        False
    """
    return _X64.get()


# What JAX truncates 64-bit types to without 64-bit mode.
NARROW_DTYPES = {np.dtype(np.int64): np.dtype(np.int32), np.dtype(np.uint64): np.dtype(np.uint32),
                 np.dtype(np.float64): np.dtype(np.float32),
                 np.dtype(np.complex128): np.dtype(np.complex64)}
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _caller_level() -> int:
    """warnings.warn's stacklevel for the first frame outside keyrand."""
    level, frame = 1, sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        level, frame = level + 1, frame.f_back
    return level


def canonical_dtype(dt: np.dtype) -> np.dtype:
    """An explicitly requested dtype as JAX gives it: without 64-bit mode a
    64-bit type is truncated to its 32-bit counterpart, with JAX's warning."""
    if dt not in NARROW_DTYPES or x64_enabled():
        return dt
    narrow = NARROW_DTYPES[dt]
    warnings.warn(f"Explicitly requested dtype {dt} is not available, and will be truncated "
                  f"to dtype {narrow}. To enable more dtypes, set the jax_enable_x64 "
                  "configuration option or the JAX_ENABLE_X64 shell environment variable. "
                  "See https://github.com/jax-ml/jax#current-gotchas for more.",
                  UserWarning, stacklevel=_caller_level())
    return narrow
