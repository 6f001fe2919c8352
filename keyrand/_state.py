"""The global key used when a sampler gets key=None, with MLX's semantics:
`seed(s)` sets it to key(s); each draw splits it in two, keeps row 0 as the
new state and hands out row 1. One state per process, guarded by a lock, so
threads never receive the same subkey."""
from __future__ import annotations

import os
import threading
import time

import numpy as np

from . import _core
from ._streams import Layout

_UINT32 = np.dtype(np.uint32)
_lock = threading.Lock()
_state: np.ndarray | None = None


def _reset_lock_in_child() -> None:
    # A fork while another thread held the lock would leave it held forever.
    global _lock
    _lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_lock_in_child)


def seed_key(key: np.ndarray) -> None:
    global _state
    with _lock:
        _state = key.copy()


def next_key() -> np.ndarray:
    """The next subkey of the global sequence (MLX's random.state semantics)."""
    global _state
    with _lock:
        if _state is None:
            # MLX seeds lazily from the wall clock in milliseconds.
            ms = time.time_ns() // 1_000_000
            _state = np.array([ms >> 32, ms & 0xFFFFFFFF], dtype=np.uint32)
        words = _core.stream(Layout.HALVES_WORDS, _state, (4,), _UINT32, 4)
        _state = words[:2]  # slices: unpacking rows of a (2, 2) array costs more
        return words[2:]


def current_key() -> np.ndarray | None:
    """A copy of the current global key (None before first use)."""
    with _lock:
        return None if _state is None else _state.copy()
