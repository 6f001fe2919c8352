"""The two jax.config switches keyrand.jax mirrors: the Threefry mode and
64-bit mode, each a global default plus per-context overrides."""
from __future__ import annotations

import contextlib
import contextvars

import numpy as np


class _Flag:
    """A global value plus per-context overrides, as jax.config flags behave."""

    def __init__(self, name: str, default: bool):
        self.default = default
        self.override = contextvars.ContextVar(name, default=None)

    def get(self) -> bool:
        value = self.override.get()
        return self.default if value is None else value

    def set_default(self, flag) -> None:
        self.default = _as_flag(flag)

    @contextlib.contextmanager
    def scoped(self, flag):
        token = self.override.set(_as_flag(flag))
        try:
            yield
        finally:
            self.override.reset(token)


def _as_flag(value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"flag must be a bool; got {type(value).__name__}")
    return bool(value)


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
