# cython: language_level=3, auto_pickle=False
"""keyrand.Threefry: a numpy.random.BitGenerator whose raw stream is JAX's
partitionable 64-bit Threefry words (docs/numpy_bitgen.md).

This extension links no C core: it reaches keyrand's kernels through the
C API (keyrand.c_random), as any downstream Cython project would."""
from libc.stdint cimport uint32_t, uint64_t
from numpy.random cimport BitGenerator

from keyrand.c_random cimport kr_fill_bits64_part, kr_threefry2x32

import operator

import numpy as np
from numpy.random import SeedSequence
from numpy.random.bit_generator import ISeedSequence, SeedlessSeedSequence

from keyrand._validate import as_int, as_key

# Words generated per refill: one call into the SIMD kernels per 2 KiB keeps
# the per-word cost near the kernels' own and the state small.
cdef enum:
    BUFFER_WORDS = 256

# Words per jump of jumped(): 2**64 / 2**48 = 65536 disjoint streams.
JUMP_WORDS = 1 << 48
_WORD_MASK = (1 << 64) - 1


cdef struct ThreefryState:
    uint64_t buffer[BUFFER_WORDS]
    uint32_t key[2]
    uint64_t counter    # index of the next word handed out
    int pos             # buffer[pos] holds word `counter`; BUFFER_WORDS: refill first
    int has_uint32      # NumPy's convention for 32-bit draws from 64-bit words:
    uint32_t uinteger   # the high half of the last word, kept for the next draw


cdef void _refill(ThreefryState *st) noexcept nogil:
    """buffer = words counter, counter + 1, ... modulo 2**64: the element
    indices of the stream stop at 2**64 - 1, so a refill there splits."""
    cdef uint64_t before_wrap = <uint64_t>0 - st.counter  # 0 means 2**64
    cdef size_t first = BUFFER_WORDS
    if before_wrap != 0 and before_wrap < BUFFER_WORDS:
        first = <size_t>before_wrap
    # Cannot fail: indices start + n - 1 stay below 2**64.
    kr_fill_bits64_part(st.key, st.counter, st.buffer, first)
    if first < BUFFER_WORDS:
        kr_fill_bits64_part(st.key, 0, st.buffer + first, BUFFER_WORDS - first)
    st.pos = 0


cdef inline uint64_t _next_word(ThreefryState *st) noexcept nogil:
    if st.pos == BUFFER_WORDS:
        _refill(st)
    cdef uint64_t word = st.buffer[st.pos]
    st.pos += 1
    st.counter += 1
    return word


cdef uint64_t _next_uint64(void *st) noexcept nogil:
    return _next_word(<ThreefryState *>st)


cdef uint32_t _next_uint32(void *p) noexcept nogil:
    # As NumPy's PCG64 and Philox: the low half now, the high half next time.
    cdef ThreefryState *st = <ThreefryState *>p
    if st.has_uint32:
        st.has_uint32 = 0
        return st.uinteger
    cdef uint64_t word = _next_word(st)
    st.has_uint32 = 1
    st.uinteger = <uint32_t>(word >> 32)
    return <uint32_t>word


cdef double _next_double(void *st) noexcept nogil:
    # The top 53 bits as a multiple of 2**-53, NumPy's rule for 64-bit generators.
    return (_next_word(<ThreefryState *>st) >> 11) * (1.0 / 9007199254740992.0)


def _single_key(key) -> np.ndarray:
    """A new uint32 array of shape (2,) from a key argument: a keyrand or
    JAX raw key (or typed JAX key), or an int seed meaning keyrand.key(seed)."""
    if isinstance(key, (int, np.integer)) and not isinstance(key, (bool, np.bool_)):
        seed = operator.index(key)
        if not 0 <= seed < 1 << 64:
            raise ValueError(f"key as an int must be a seed in [0, 2**64); got {seed}")
        return np.array([seed >> 32, seed & 0xFFFFFFFF], dtype=np.uint32)
    data = as_key(key, "key")
    if data.shape != (2,):
        raise ValueError(f"key must be a single key of shape (2,); got shape {data.shape}")
    return data.copy()


def _key_and_seed_seq(key, seed):
    """(key, seed sequence) from Threefry's arguments."""
    if key is not None and seed is not None:
        raise TypeError("Threefry takes key or seed, not both")
    if key is not None:
        # The key is the state: there is no seed sequence behind it.
        return _single_key(key), SeedlessSeedSequence()
    if isinstance(seed, ISeedSequence):
        seq = seed
    else:
        try:
            seq = SeedSequence(seed)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"seed: {exc}") from None
    return np.asarray(seq.generate_state(2, np.uint32), dtype=np.uint32), seq


cdef class Threefry(BitGenerator):
    """Threefry(key=None, *, seed=None)

    A NumPy bit generator on keyrand's Threefry-2x32-20 streams:
    ``numpy.random.Generator(keyrand.Threefry(key))`` gives every NumPy
    distribution on a counter-based, splittable stream.

    Word ``i`` of the raw stream (``random_raw``, ``next_uint64``) is JAX's
    partitionable 64-bit random bits for element ``i``:
    ``jax.random.bits(key, (n,), jnp.uint64)`` with ``jax_enable_x64`` and
    ``jax_threefry_partitionable`` on, i.e. ``(a << 32) | b`` for
    ``(a, b) = threefry2x32(key, (i >> 32, i & 0xFFFFFFFF))``. 32-bit draws
    take the low half of a word and then its high half; doubles are
    ``(word >> 11) * 2**-53``, as NumPy's PCG64 and Philox.

    Parameters
    ----------
    key : keyrand key, JAX key or int, optional
        A uint32 array of shape ``(2,)`` (``keyrand.key(s)``, a JAX raw or
        typed key), or an int ``s`` meaning ``keyrand.key(s)``.
    seed : {None, int, array_like[ints], SeedSequence}, optional, keyword only
        Derive the key as NumPy seeds its generators:
        ``SeedSequence(seed).generate_state(2, uint32)``. With neither
        ``key`` nor ``seed``, fresh entropy from the OS.

    Example:
        >>> import numpy as np
        >>> import keyrand as kr
        >>> rng = np.random.Generator(kr.Threefry(kr.key(0)))
        >>> rng.standard_normal(3).shape
        (3,)
        >>> words = kr.Threefry(kr.key(0)).random_raw(2)
        >>> from keyrand import jax as jr
        >>> with jr.enable_x64():
        ...     jax_words = jr.bits(kr.key(0), (2,), np.uint64)
        >>> bool((words == jax_words).all())
        True
    """
    cdef ThreefryState rng_state
    cdef uint64_t _children  # keys handed out by spawn so far

    def __cinit__(self, *args, **kwargs):
        # Wired before __init__ runs, so no object is ever left with NULL
        # function pointers (Threefry.__new__ alone gives key 0, counter 0).
        self._wire()
        self._reset(0)

    def __init__(self, key=None, *, seed=None):
        k, seed_seq = _key_and_seed_seq(key, seed)
        BitGenerator.__init__(self, seed_seq)  # which sets _bitgen.state to NULL
        self._wire()
        self.rng_state.key[0] = k[0]
        self.rng_state.key[1] = k[1]
        self._reset(0)
        self._children = 0

    cdef void _wire(self) noexcept:
        """Point NumPy's bitgen_t at this generator's state and functions."""
        self._bitgen.state = <void *>&self.rng_state
        self._bitgen.next_uint64 = &_next_uint64
        self._bitgen.next_uint32 = &_next_uint32
        self._bitgen.next_double = &_next_double
        self._bitgen.next_raw = &_next_uint64

    cdef void _reset(self, uint64_t counter) noexcept:
        """Position the stream at word `counter`, with nothing buffered."""
        self.rng_state.counter = counter
        self.rng_state.pos = BUFFER_WORDS
        self.rng_state.has_uint32 = 0
        self.rng_state.uinteger = 0

    @property
    def key(self):
        """The key (a copy, uint32 of shape (2,)).

        Example:
            >>> import keyrand as kr
            >>> kr.Threefry(kr.key(5)).key
            array([0, 5], dtype=uint32)
        """
        return np.array([self.rng_state.key[0], self.rng_state.key[1]], dtype=np.uint32)

    @property
    def state(self):
        """The state as a dict, settable:
        ``{'bit_generator': 'Threefry', 'state': {'key': uint32 (2,),
        'counter': index of the next word}, 'has_uint32': 0 or 1,
        'uinteger': the buffered high half}``.

        Example:
            >>> import keyrand as kr
            >>> bg = kr.Threefry(kr.key(0))
            >>> _ = bg.random_raw(3)
            >>> bg.state["state"]["counter"]
            3
        """
        with self.lock:
            return {
                "bit_generator": "Threefry",
                "state": {"key": self.key, "counter": int(self.rng_state.counter)},
                "has_uint32": int(self.rng_state.has_uint32),
                "uinteger": int(self.rng_state.uinteger),
            }

    @state.setter
    def state(self, value):
        key, counter, has_uint32, uinteger = _parse_state(value)
        with self.lock:
            self.rng_state.key[0] = key[0]
            self.rng_state.key[1] = key[1]
            self._reset(counter)
            self.rng_state.has_uint32 = has_uint32
            self.rng_state.uinteger = uinteger

    def advance(self, delta):
        """Move the stream on as if ``delta`` 64-bit words had been drawn
        (modulo 2**64); a buffered 32-bit half is dropped, as in NumPy's
        Philox. Returns self.

        Example:
            >>> import keyrand as kr
            >>> a, b = kr.Threefry(kr.key(0)), kr.Threefry(kr.key(0))
            >>> _ = a.random_raw(10)
            >>> int(a.random_raw()) == int(b.advance(10).random_raw())
            True
        """
        d = as_int(delta, "delta")
        if d < 0:
            raise ValueError(f"delta must be non-negative; got {d}")
        cdef uint64_t step = d & _WORD_MASK
        cdef ThreefryState *st = &self.rng_state
        with self.lock:
            # Keep the buffer when the new position is still inside it.
            if step < <uint64_t>(BUFFER_WORDS - st.pos):
                st.pos += <int>step
            else:
                st.pos = BUFFER_WORDS
            st.counter += step
            st.has_uint32 = 0
        return self

    def jumped(self, jumps=1):
        """A new generator ``jumps * 2**48`` words ahead (modulo 2**64), on
        the same key: 65536 jumps of 2**48 words never overlap.

        Example:
            >>> import keyrand as kr
            >>> bg = kr.Threefry(kr.key(0))
            >>> bg.jumped(2).state["state"]["counter"] == 2 * 2**48
            True
        """
        j = as_int(jumps, "jumps")
        if j < 0:
            raise ValueError(f"jumps must be non-negative; got {j}")
        state = self.state
        state["state"]["counter"] = (state["state"]["counter"] + j * JUMP_WORDS) & _WORD_MASK
        state["has_uint32"] = state["uinteger"] = 0
        cdef Threefry child = type(self)(state["state"]["key"])
        child.state = state
        child._seed_seq = self._seed_seq
        return child

    def spawn(self, n_children):
        """``n_children`` new, independent generators. Child ``j`` (counted
        across calls, so each spawn gives new children) has key
        ``keyrand.jax.split(root, N)[j]`` in the partitionable mode, for any
        ``N > j``: ``threefry2x32(root, (j >> 32, j & 0xFFFFFFFF))``, where
        ``root = threefry2x32(key, (2**32 - 1, 2**32 - 1))`` is the block of
        the parent's last word (index 2**64 - 1), so no child key is among
        the words the parent hands out before its counter wraps.

        Example:
            >>> import keyrand as kr
            >>> a, b = kr.Threefry(kr.key(0)).spawn(2)
            >>> bool((a.key != b.key).any())
            True
        """
        n = as_int(n_children, "n_children")
        if n < 0:
            raise ValueError(f"n_children must be non-negative; got {n}")
        cdef uint32_t ctr[2]
        cdef uint32_t out[2]
        cdef uint32_t root[2]
        cdef uint64_t j
        ctr[0] = ctr[1] = 0xFFFFFFFFu
        kr_threefry2x32(self.rng_state.key, ctr, root)
        with self.lock:
            first = self._children
            if n > (1 << 64) - first:
                raise ValueError("a Threefry generator spawns at most 2**64 children")
            try:
                keys = np.empty((n, 2), dtype=np.uint32)
            except (ValueError, MemoryError) as exc:  # NumPy's words name no argument
                raise ValueError(f"n_children={n}: more generators than this machine "
                                 f"can hold ({exc})") from None
            for i in range(n):
                j = first + i
                ctr[0] = <uint32_t>(j >> 32)
                ctr[1] = <uint32_t>j
                kr_threefry2x32(root, ctr, out)
                keys[i, 0] = out[0]
                keys[i, 1] = out[1]
            self._children = first + n
        return [type(self)(k) for k in keys]

    @property
    def n_children_spawned(self):
        """How many children spawn has made (the next child's index).

        Example:
            >>> import keyrand as kr
            >>> bg = kr.Threefry(kr.key(0))
            >>> _ = bg.spawn(3)
            >>> bg.n_children_spawned
            3
        """
        return int(self._children)

    def __getstate__(self):
        return self.state, self._seed_seq, int(self._children)

    def __setstate__(self, value):
        # (state, seed sequence, children) from __getstate__; NumPy 2's
        # (state, seed sequence) and a bare state dict are accepted too.
        if isinstance(value, dict):
            self.state = value
            return
        if not isinstance(value, tuple) or len(value) not in (2, 3):
            raise ValueError("Threefry.__setstate__ takes a state dict or "
                             "(state, seed_seq[, children])")
        self.state = value[0]
        self._seed_seq = value[1]
        if len(value) == 3:
            self._children = as_int(value[2], "children") & _WORD_MASK

    def __reduce_ex__(self, protocol):
        # What pickle and copy use: everything, spawn count included.
        return type(self), (self.key,), self.__getstate__()

    def __reduce__(self):
        # NumPy 1.x's Generator pickles its bit generator from this triple,
        # calling ctor(args[0]) and then `state = ` with the third item, so
        # that item is the plain state dict.
        return type(self), (self.key,), self.state


def _parse_state(value):
    """(key, counter, has_uint32, uinteger) from a state dict, checked."""
    if not isinstance(value, dict):
        raise TypeError(f"state must be a dict; got {type(value).__name__}")
    name = value.get("bit_generator")
    if name != "Threefry":
        raise ValueError(f"state must be for Threefry; got bit_generator={name!r}")
    inner = value.get("state")
    if not isinstance(inner, dict) or "key" not in inner or "counter" not in inner:
        raise ValueError("state['state'] must be a dict with 'key' and 'counter'")
    key = as_key(inner["key"], "state['state']['key']")
    if key.shape != (2,):
        raise ValueError(f"state['state']['key'] must have shape (2,); got {key.shape}")
    counter = as_int(inner["counter"], "state['state']['counter']")
    if not 0 <= counter < 1 << 64:
        raise ValueError(f"state['state']['counter'] must be in [0, 2**64); got {counter}")
    has_uint32 = as_int(value.get("has_uint32", 0), "state['has_uint32']")
    if has_uint32 not in (0, 1):
        raise ValueError(f"state['has_uint32'] must be 0 or 1; got {has_uint32}")
    uinteger = as_int(value.get("uinteger", 0), "state['uinteger']")
    if not 0 <= uinteger < 1 << 32:
        raise ValueError(f"state['uinteger'] must be in [0, 2**32); got {uinteger}")
    return key, counter, has_uint32, uinteger
