# Type stub for the compiled extension src/pyx/_bitgen.pyx.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

import numpy as np
import numpy.typing as npt
from numpy.random import BitGenerator, SeedSequence

JUMP_WORDS: int

class _ThreefryInner(TypedDict):
    key: npt.NDArray[np.uint32]
    counter: int

class ThreefryState(TypedDict):
    bit_generator: str
    state: _ThreefryInner
    has_uint32: int
    uinteger: int

class Threefry(BitGenerator):
    def __init__(
        self,
        key: npt.ArrayLike | int | None = None,
        *,
        seed: int | npt.ArrayLike | SeedSequence | None = None,
    ) -> None: ...
    @property
    def key(self) -> npt.NDArray[np.uint32]: ...
    @property
    def state(self) -> ThreefryState: ...
    @state.setter
    def state(self, value: Mapping[str, Any]) -> None: ...
    def advance(self, delta: int) -> Threefry: ...
    def jumped(self, jumps: int = 1) -> Threefry: ...
    def spawn(self, n_children: int) -> list[Threefry]: ...
    @property
    def n_children_spawned(self) -> int: ...
    def __getstate__(self) -> tuple[ThreefryState, Any, int]: ...
    def __setstate__(self, value: Any) -> None: ...
