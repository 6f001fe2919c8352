"""The global key used when a sampler gets key=None, with MLX's semantics:
`seed(s)` sets it to key(s); each draw splits it in two, keeps row 0 as the
new state and hands out row 1. One state per process, held by the binding,
which updates it in one step: threads never receive the same subkey, and a
signal handler that draws with it cannot deadlock (no lock is held)."""
from __future__ import annotations

import time

import numpy as np

from . import _core


def seed_key(key: np.ndarray) -> None:
    _core.global_seed(key.reshape(2))


def next_key() -> np.ndarray:
    """The next subkey of the global sequence (MLX's random.state semantics;
    MLX seeds lazily from the wall clock in milliseconds)."""
    return _core.global_next(time.time_ns() // 1_000_000)


def current_key() -> np.ndarray | None:
    """A copy of the current global key (None before first use)."""
    return _core.global_current()
