"""keyrand.Threefry, the NumPy bit generator: its raw stream (JAX's
partitionable 64-bit words), NumPy's 32-bit and double conventions, state,
advance / jumped / spawn, pickling, the ctypes and cffi interfaces, threads,
argument errors, and NumPy's distributions on it."""
import copy
import ctypes
import pickle
import threading

import numpy as np
import pytest

import keyrand as kr
from keyrand import _core
from keyrand import jax as jr
from conftest import run_python

WORD = 2**64
KEY = kr.key(0)

# jax.random.bits(jax.random.wrap_key_data(k), (6,), jnp.uint64) from the real
# jax 0.10.2 with jax_enable_x64 and jax_threefry_partitionable on.
JAX_WORDS = {
    (0, 0): [0x6b20015999ba4efe, 0x375f238fcddb151d, 0xf71f4ea9a20e4081,
             0x9312778be4e8dfbe, 0x883ffec119dbc576, 0x5adb10de7085799d],
    (0, 42): [0x6d3e048f1022172d, 0x03d7b32dadd083f4, 0x92fb20ea0f38d913,
              0xbad56946354ba891, 0xb013aee3c34eddf6, 0xa4d91a963122544e],
    (0x12345678, 0x9abcdef0): [0xed280379a0bb73c3, 0x7c4d1fd5595dd64b,
                               0x612ee2fda86e0e45, 0x2d7ccf79a683f6a8],
}


def words(key, start, n):
    """Words [start, start + n) of the raw stream, from keyrand's core directly
    (element indices; the stream is not wrapped here)."""
    return _core.stream(_core.Layout.PART_U64, np.asarray(key, np.uint32), (n,),
                        np.dtype(np.uint64), 0, start)


def jax_words(key, n):
    with jr.threefry_partitionable(True), jr.enable_x64(True):
        return jr.bits(key, (n,), np.uint64)


# --- the raw stream ---------------------------------------------------------

@pytest.mark.parametrize("key", list(JAX_WORDS))
def test_raw_words_match_committed_jax_vectors(key):
    expected = np.array(JAX_WORDS[key], dtype=np.uint64)
    assert np.array_equal(kr.Threefry(np.array(key, np.uint32)).random_raw(len(expected)),
                          expected)


@pytest.mark.parametrize("n", [1, 255, 256, 257, 1000, 100_003])
def test_random_raw_is_keyrand_jax_bits(n):
    assert np.array_equal(kr.Threefry(KEY).random_raw(n), jax_words(KEY, n))


def test_draws_in_pieces_continue_the_stream():
    bg = kr.Threefry(KEY)
    pieces = [bg.random_raw(m) for m in (1, 254, 1, 1, 300, 7, 1000)]
    assert np.array_equal(np.concatenate(pieces), jax_words(KEY, sum(map(len, pieces))))
    assert bg.random_raw() == int(words(KEY, 1564, 1)[0])  # a scalar, as NumPy's


def test_random_raw_matches_live_jax():
    jax = pytest.importorskip("jax")
    import jax.numpy as jnp
    for key in [(0, 0), (7, 2**32 - 1)]:
        k = np.array(key, np.uint32)
        with jax.enable_x64(True), jax.threefry_partitionable(True):
            expected = np.asarray(jax.random.bits(jax.random.wrap_key_data(k), (1000,),
                                                  jnp.uint64))
        assert np.array_equal(kr.Threefry(k).random_raw(1000), expected)


def test_random_raw_without_output_advances():
    bg = kr.Threefry(KEY)
    assert bg.random_raw(10, output=False) is None
    assert bg.state["state"]["counter"] == 10


# --- NumPy's conventions for 64-bit generators --------------------------------

def test_next_double_is_top_53_bits():
    raw = jax_words(KEY, 1000)
    got = np.random.Generator(kr.Threefry(KEY)).random(1000)
    assert np.array_equal(got, (raw >> np.uint64(11)).astype(np.float64) * 2.0**-53)


def test_next_uint32_low_half_then_high_half():
    raw = jax_words(KEY, 500)
    halves = np.stack([raw & np.uint64(0xFFFFFFFF), raw >> np.uint64(32)], axis=1).ravel()
    got = np.random.Generator(kr.Threefry(KEY)).integers(0, 2**32, 1000, dtype=np.uint32)
    assert np.array_equal(got, halves.astype(np.uint32))


def test_the_buffered_half_survives_64_bit_draws():
    bg = kr.Threefry(KEY)
    c = bg.ctypes
    w = [int(x) for x in jax_words(KEY, 3)]
    assert c.next_uint32(c.state) == w[0] & 0xFFFFFFFF
    assert c.next_uint64(c.state) == w[1]          # a whole word; the half waits
    assert c.next_uint32(c.state) == w[0] >> 32
    assert c.next_uint32(c.state) == w[2] & 0xFFFFFFFF
    assert bg.state["has_uint32"] == 1 and bg.state["uinteger"] == w[2] >> 32


def test_ctypes_interface_gives_the_same_words():
    bg = kr.Threefry(kr.key(9))
    c = bg.ctypes
    got = [c.next_uint64(c.state) for _ in range(600)]
    assert got == [int(x) for x in jax_words(kr.key(9), 600)]
    assert c.next_double(c.state) == (int(words(kr.key(9), 600, 1)[0]) >> 11) * 2.0**-53
    assert isinstance(c.state_address, int) and c.state_address != 0
    # The bitgen_t the capsule points at is the one ctypes reads.
    assert ctypes.cast(c.bit_generator, ctypes.c_void_p).value is not None


def test_cffi_interface_gives_the_same_words():
    pytest.importorskip("cffi")
    bg = kr.Threefry(kr.key(9))
    f = bg.cffi
    got = [f.next_uint64(f.state) for _ in range(300)]
    assert got == [int(x) for x in jax_words(kr.key(9), 300)]


# --- state ---------------------------------------------------------------------

def test_state_layout():
    bg = kr.Threefry(kr.key(5))
    bg.random_raw(3)
    state = bg.state
    assert state.keys() == {"bit_generator", "state", "has_uint32", "uinteger"}
    assert state["bit_generator"] == "Threefry"
    assert state["state"]["counter"] == 3
    assert state["state"]["key"].dtype == np.uint32
    assert np.array_equal(state["state"]["key"], kr.key(5))
    assert (state["has_uint32"], state["uinteger"]) == (0, 0)


def test_state_round_trips_with_a_buffered_half():
    g = np.random.Generator(kr.Threefry(KEY))
    g.integers(0, 2**32, 5, dtype=np.uint32)  # odd: a half is buffered
    g.random(300)                              # and the word buffer is mid-way
    state = g.bit_generator.state
    assert state["has_uint32"] == 1
    other = np.random.Generator(kr.Threefry(kr.key(123)))
    other.bit_generator.state = state
    assert np.array_equal(other.integers(0, 2**32, 9, dtype=np.uint32),
                          g.integers(0, 2**32, 9, dtype=np.uint32))
    assert np.array_equal(other.bit_generator.random_raw(600), g.bit_generator.random_raw(600))


def test_state_getter_returns_a_copy():
    bg = kr.Threefry(KEY)
    bg.state["state"]["key"][0] = 99
    assert bg.key[0] == 0


@pytest.mark.parametrize("mutate, error, match", [
    (lambda s: "not a dict", TypeError, "state must be a dict"),
    (lambda s: {**s, "bit_generator": "PCG64"}, ValueError, "Threefry"),
    (lambda s: {k: v for k, v in s.items() if k != "state"}, ValueError, "'key' and 'counter'"),
    (lambda s: {**s, "state": {"key": s["state"]["key"]}}, ValueError, "'counter'"),
    (lambda s: {**s, "state": {**s["state"], "key": [1, 2, 3]}}, ValueError, r"\['key'\]"),
    (lambda s: {**s, "state": {**s["state"], "key": [[1, 2]]}}, ValueError, r"\['key'\]"),
    (lambda s: {**s, "state": {**s["state"], "key": [0.5, 1]}}, TypeError, r"\['key'\]"),
    (lambda s: {**s, "state": {**s["state"], "counter": -1}}, ValueError, "counter"),
    (lambda s: {**s, "state": {**s["state"], "counter": WORD}}, ValueError, "counter"),
    (lambda s: {**s, "state": {**s["state"], "counter": 1.5}}, TypeError, "counter"),
    (lambda s: {**s, "has_uint32": 2}, ValueError, "has_uint32"),
    (lambda s: {**s, "uinteger": 2**32}, ValueError, "uinteger"),
])
def test_bad_states_are_refused(mutate, error, match):
    bg = kr.Threefry(KEY)
    before = bg.state
    with pytest.raises(error, match=match):
        bg.state = mutate(bg.state)
    assert bg.state["state"]["counter"] == before["state"]["counter"]


# --- advance and jumped ----------------------------------------------------------

@pytest.mark.parametrize("drawn", [0, 100, 255])
@pytest.mark.parametrize("delta", [0, 1, 5, 155, 156, 256, 1000, 2**40])
def test_advance_equals_skipping_words(drawn, delta):
    bg = kr.Threefry(KEY)
    bg.random_raw(drawn)                 # positions inside and at the end of a buffer
    assert bg.advance(delta) is bg
    assert np.array_equal(bg.random_raw(300), words(KEY, drawn + delta, 300))
    assert bg.state["state"]["counter"] == drawn + delta + 300


def test_advance_clears_the_buffered_half():
    g = np.random.Generator(kr.Threefry(KEY))
    g.integers(0, 2**32, 1, dtype=np.uint32)
    g.bit_generator.advance(1)
    assert g.bit_generator.state["has_uint32"] == 0
    assert g.integers(0, 2**32, 1, dtype=np.uint32)[0] == int(words(KEY, 2, 1)[0]) & 0xFFFFFFFF


def test_the_counter_wraps_at_2_to_the_64():
    bg = kr.Threefry(KEY)
    state = bg.state
    state["state"]["counter"] = WORD - 3
    bg.state = state
    expected = np.concatenate([words(KEY, WORD - 3, 3), words(KEY, 0, 300)])
    assert np.array_equal(bg.random_raw(303), expected)
    assert bg.state["state"]["counter"] == 300
    # advance wraps too, and takes deltas modulo 2**64
    bg.advance(WORD - 300)
    assert bg.state["state"]["counter"] == 0
    bg.advance(WORD + 5)
    assert bg.state["state"]["counter"] == 5


def test_advance_refuses_bad_deltas():
    bg = kr.Threefry(KEY)
    with pytest.raises(ValueError, match="delta"):
        bg.advance(-1)
    with pytest.raises(TypeError, match="delta"):
        bg.advance(1.0)
    with pytest.raises(TypeError, match="delta"):
        bg.advance(True)


def test_jumped():
    bg = kr.Threefry(KEY)
    bg.random_raw(10)
    j = bg.jumped()
    assert j is not bg and isinstance(j, kr.Threefry)
    assert j.state["state"]["counter"] == 10 + 2**48
    assert np.array_equal(j.random_raw(5), words(KEY, 10 + 2**48, 5))
    assert bg.state["state"]["counter"] == 10          # the original is untouched
    assert bg.jumped(3).state["state"]["counter"] == 10 + 3 * 2**48
    assert bg.jumped(0).state["state"]["counter"] == 10
    assert bg.jumped(65536).state["state"]["counter"] == 10  # 65536 jumps cover 2**64
    assert j.seed_seq is bg.seed_seq
    with pytest.raises(ValueError, match="jumps"):
        bg.jumped(-1)
    with pytest.raises(TypeError, match="jumps"):
        bg.jumped(0.5)


def test_jumped_drops_the_buffered_half():
    g = np.random.Generator(kr.Threefry(KEY))
    g.integers(0, 2**32, 1, dtype=np.uint32)
    assert g.bit_generator.jumped().state["has_uint32"] == 0


# --- spawn ------------------------------------------------------------------------

def partitionable_split(key, n):
    with jr.threefry_partitionable(True):
        return jr.split(key, n)


def spawn_root(key):
    """The key children are split from: the block of word 2**64 - 1."""
    last = np.array([0xFFFFFFFF, 0xFFFFFFFF], dtype=np.uint32)
    return np.array(_core.threefry2x32(np.asarray(key, dtype=np.uint32), last), np.uint32)


def test_spawn_children_are_split_keys_counted_across_calls():
    bg = kr.Threefry(KEY)
    first, second = bg.spawn(2), bg.spawn(3)
    keys = np.array([c.key for c in first + second])
    assert np.array_equal(keys, partitionable_split(spawn_root(KEY), 5))
    # no child key is among the parent's first words
    parent = words(KEY, 0, 4096)
    assert not np.isin((keys[:, 0].astype(np.uint64) << 32) | keys[:, 1], parent).any()
    assert bg.n_children_spawned == 5
    assert bg.spawn(0) == [] and bg.n_children_spawned == 5
    assert all(type(c) is kr.Threefry and c.state["state"]["counter"] == 0 for c in first)
    # spawning does not move the parent's stream
    assert np.array_equal(bg.random_raw(3), words(KEY, 0, 3))


def test_children_have_their_own_streams_and_children():
    (child,) = kr.Threefry(KEY).spawn(1)
    assert np.array_equal(child.random_raw(4), jax_words(child.key, 4))
    (grandchild,) = child.spawn(1)
    assert np.array_equal(grandchild.key, partitionable_split(spawn_root(child.key), 1)[0])


def test_generator_spawn():
    g = np.random.Generator(kr.Threefry(KEY))
    children = g.spawn(3)
    assert all(isinstance(c, np.random.Generator) for c in children)
    assert np.array_equal(np.array([c.bit_generator.key for c in children]),
                          partitionable_split(spawn_root(KEY), 3))
    draws = [c.random(1000) for c in children]
    assert not np.array_equal(draws[0], draws[1])


def test_spawn_refuses_bad_counts():
    bg = kr.Threefry(KEY)
    with pytest.raises(ValueError, match="n_children"):
        bg.spawn(-1)
    with pytest.raises(TypeError, match="n_children"):
        bg.spawn(1.5)
    for huge in (2**63, 2**62):  # NumPy's own refusals name no argument
        with pytest.raises(ValueError, match="n_children"):
            bg.spawn(huge)
    assert bg.n_children_spawned == 0


# --- seeding ------------------------------------------------------------------------

def test_int_key_means_keyrand_key():
    assert np.array_equal(kr.Threefry(2**40 + 7).key, kr.key(2**40 + 7))
    assert np.array_equal(kr.Threefry(np.uint64(3)).key, kr.key(3))
    assert np.array_equal(kr.Threefry(key=[1, 2]).key, np.array([1, 2], np.uint32))


def test_jax_keys_are_accepted():
    jax = pytest.importorskip("jax")
    typed = jax.random.key(11)
    raw = jax.random.PRNGKey(11)
    assert np.array_equal(kr.Threefry(typed).key, np.asarray(jax.random.key_data(typed)))
    assert np.array_equal(kr.Threefry(raw).key, np.asarray(raw))


def test_seed_goes_through_seed_sequence():
    for seed in [0, 12345, [1, 2, 3], np.random.SeedSequence(8)]:
        expected = np.random.SeedSequence(seed.entropy if hasattr(seed, "entropy") else seed)
        bg = kr.Threefry(seed=seed)
        assert np.array_equal(bg.key, expected.generate_state(2, np.uint32))
        assert bg.seed_seq.entropy == expected.entropy


def test_no_arguments_draw_fresh_entropy():
    a, b = kr.Threefry(), kr.Threefry()
    assert not np.array_equal(a.key, b.key)
    assert isinstance(a.seed_seq, np.random.SeedSequence)


def test_key_and_seed_together_are_refused():
    with pytest.raises(TypeError, match="key or seed"):
        kr.Threefry(KEY, seed=1)


@pytest.mark.parametrize("key, error, match", [
    (-1, ValueError, "key"),
    (2**64, ValueError, "key"),
    (True, TypeError, "key"),
    (1.5, TypeError, "key"),
    ("abc", TypeError, "key"),
    ([1, 2, 3], ValueError, "key"),
    (np.zeros((2, 2), np.uint32), ValueError, "single key"),
    ([-1, 0], ValueError, "key"),
    (np.array([0.0, 1.0]), TypeError, "key"),
])
def test_bad_keys_are_refused(key, error, match):
    with pytest.raises(error, match=match):
        kr.Threefry(key)


def test_bad_seeds_are_refused():
    with pytest.raises((TypeError, ValueError), match="seed"):
        kr.Threefry(seed=-1)
    with pytest.raises((TypeError, ValueError), match="seed"):
        kr.Threefry(seed=1.5)


def test_an_uninitialised_object_does_not_crash():
    bare = kr.Threefry.__new__(kr.Threefry)
    with pytest.raises(AttributeError):
        bare.random_raw(3)                 # no lock yet: an error, not a NULL call
    c = bare.ctypes
    assert c.next_uint64(c.state) == int(words(kr.key(0), 0, 1)[0])


# --- pickling -----------------------------------------------------------------------

def used_generator():
    g = np.random.Generator(kr.Threefry(seed=4))
    g.integers(0, 2**32, 3, dtype=np.uint32)  # a buffered half
    g.random(10)
    g.bit_generator.spawn(2)
    return g


def test_pickle_and_deepcopy_keep_the_whole_bit_generator():
    bg = used_generator().bit_generator
    for clone in (pickle.loads(pickle.dumps(bg)), copy.deepcopy(bg)):
        assert clone is not bg and type(clone) is kr.Threefry
        assert clone.state["has_uint32"] == 1
        assert clone.n_children_spawned == 2
        assert clone.seed_seq.entropy == bg.seed_seq.entropy
        assert np.array_equal(clone.random_raw(300), copy.deepcopy(bg).random_raw(300))


def test_pickle_and_deepcopy_of_a_generator():
    g = used_generator()
    for clone in (pickle.loads(pickle.dumps(g)), copy.deepcopy(g)):
        assert clone.bit_generator is not g.bit_generator
        assert np.array_equal(clone.integers(0, 2**32, 5, dtype=np.uint32),
                              copy.deepcopy(g).integers(0, 2**32, 5, dtype=np.uint32))
        if np.lib.NumpyVersion(np.__version__) >= "2.0.0":
            # NumPy 1.x's Generator pickles only the state dict.
            assert clone.bit_generator.n_children_spawned == 2
            assert clone.bit_generator.seed_seq.entropy == 4


def test_numpy_1_generator_pickling_protocol():
    # NumPy 1.x's Generator.__reduce__ rebuilds the bit generator as
    # ctor(args[0]) and then sets `state` to the third item.
    bg = used_generator().bit_generator
    ctor, args, state = bg.__reduce__()
    clone = ctor(args[0])
    clone.state = state
    assert clone.state["state"]["counter"] == bg.state["state"]["counter"]
    assert np.array_equal(clone.random_raw(3), bg.random_raw(3))


# --- threads --------------------------------------------------------------------------

def test_threads_share_one_generator_through_its_lock():
    bg = kr.Threefry(KEY)
    g = np.random.Generator(bg)
    chunks = []

    def work():
        for _ in range(20):
            chunks.append(bg.random_raw(700))
            g.random(10)  # Generator methods take the same lock

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Every word handed out exactly once: the raw chunks and the doubles
    # together used 4 * 20 * 710 consecutive words.
    assert bg.state["state"]["counter"] == 4 * 20 * 710
    got = np.sort(np.concatenate(chunks))
    stream = set(words(KEY, 0, 4 * 20 * 710).tolist())
    assert len(set(got.tolist())) == got.size and set(got.tolist()) <= stream


# --- NumPy's distributions on Threefry ----------------------------------------------

@pytest.fixture
def rng():
    return np.random.Generator(kr.Threefry(kr.key(2024)))


N = 200_000


def test_uniform_and_normal_statistics(rng):
    u = rng.random(N)
    assert abs(u.mean() - 0.5) < 0.005 and abs(u.var() - 1 / 12) < 0.002
    assert 0.0 <= u.min() and u.max() < 1.0
    f = rng.random(N, dtype=np.float32)
    assert f.dtype == np.float32 and abs(f.mean() - 0.5) < 0.005
    z = rng.standard_normal(N)
    assert abs(z.mean()) < 0.01 and abs(z.std() - 1) < 0.01
    assert abs(np.mean(np.abs(z) > 1.96) - 0.05) < 0.003


def test_integers(rng):
    for dtype in (np.int64, np.int32, np.uint8, np.int16):
        r = rng.integers(0, 10, N, dtype=dtype)
        assert r.dtype == dtype and r.min() == 0 and r.max() == 9
        counts = np.bincount(r.astype(np.int64), minlength=10)
        assert np.all(np.abs(counts / N - 0.1) < 0.005)
    big = rng.integers(-2**62, 2**62, 1000)
    assert big.min() < -2**60 and big.max() > 2**60


def test_choice_shuffle_permutation(rng):
    c = rng.choice(5, size=N, p=[0.1, 0.2, 0.3, 0.2, 0.2])
    assert np.allclose(np.bincount(c) / N, [0.1, 0.2, 0.3, 0.2, 0.2], atol=0.005)
    picked = rng.choice(100, 20, replace=False)
    assert len(set(picked.tolist())) == 20 and 0 <= picked.min() and picked.max() < 100
    x = np.arange(1000)
    rng.shuffle(x)
    assert not np.array_equal(x, np.arange(1000)) and np.array_equal(np.sort(x), np.arange(1000))
    p = rng.permutation(1000)
    assert np.array_equal(np.sort(p), np.arange(1000))


def test_other_distributions(rng):
    b = rng.beta(2.0, 5.0, N)
    assert abs(b.mean() - 2 / 7) < 0.003
    e = rng.exponential(2.0, N)
    assert abs(e.mean() - 2.0) < 0.02
    gam = rng.gamma(3.0, 1.0, N)
    assert abs(gam.mean() - 3.0) < 0.02
    pois = rng.poisson(4.0, N)
    assert abs(pois.mean() - 4.0) < 0.02 and abs(pois.var() - 4.0) < 0.05
    bino = rng.binomial(10, 0.3, N)
    assert abs(bino.mean() - 3.0) < 0.02
    mvn = rng.multivariate_normal([0, 0], [[1, 0.8], [0.8, 1]], N)
    assert abs(np.corrcoef(mvn.T)[0, 1] - 0.8) < 0.01
    bits = rng.bytes(16)
    assert isinstance(bits, bytes) and len(bits) == 16


def test_generator_reports_its_bit_generator(rng):
    assert "Threefry" in repr(rng)
    assert isinstance(rng.bit_generator, np.random.BitGenerator)


# --- import ----------------------------------------------------------------------------

def test_threefry_loads_on_first_use():
    # keyrand.Threefry needs numpy.random; a plain `import keyrand` does not.
    done = run_python("import sys, keyrand\n"
                      "assert 'keyrand._bitgen' not in sys.modules\n"
                      "assert 'Threefry' in dir(keyrand) and 'Threefry' in keyrand.__all__\n"
                      "from keyrand import Threefry\n"
                      "assert Threefry is keyrand._bitgen.Threefry")
    assert done.returncode == 0, done.stderr


# --- the docstring examples (pytest collects doctests from .py files only) ----------

def test_docstring_examples_run():
    import doctest
    from keyrand import _bitgen
    result = doctest.testmod(_bitgen)
    assert result.failed == 0
    assert result.attempted >= 20  # the class and each public member have examples
