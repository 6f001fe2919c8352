"""keyrand.jax keys as jax.random makes them: seeds read as JAX reads them,
impl= / dtype= and key_impl / key_dtype, fold_in's data, and JAX's error
classes. Each expectation below follows from jax 0.10.2's source
(random/core.py _key and resolve_prng_impl, threefry2x32.py threefry_seed and
threefry_fold_in); every case is also run through the real JAX when it is
importable, so a table entry that JAX does not bear out fails."""
import contextlib

import numpy as np
import pytest

from keyrand import jax as jr

from conftest import installed

M32 = 0xFFFFFFFF
NEG2 = (-2) & M32


def _words(v):
    return [(v >> 32) & M32, v & M32]


# (call on a jax.random-like module, x64, expected key words or exception class)
CASES = [
    # Python ints are int64 to JAX: the high word only with x64.
    ("PRNGKey(-2)", lambda R: R.PRNGKey(-2), False, [0, NEG2]),
    ("PRNGKey(-2) x64", lambda R: R.PRNGKey(-2), True, [M32, NEG2]),
    ("PRNGKey(2**40 + 3) x64", lambda R: R.PRNGKey(2**40 + 3), True, _words(2**40 + 3)),
    ("PRNGKey(2**40 + 3)", lambda R: R.PRNGKey(2**40 + 3), False, [0, 3]),
    ("PRNGKey(True)", lambda R: R.PRNGKey(True), False, [0, 1]),
    ("PRNGKey(2**63)", lambda R: R.PRNGKey(2**63), True, OverflowError),
    ("PRNGKey(-2**63 - 1)", lambda R: R.PRNGKey(-2**63 - 1), False, OverflowError),
    # A NumPy seed keeps its own type: 32 bits or fewer give no high word.
    ("PRNGKey(int32(-2)) x64", lambda R: R.PRNGKey(np.int32(-2)), True, [0, NEG2]),
    ("PRNGKey(int16(-3)) x64", lambda R: R.PRNGKey(np.int16(-3)), True, [0, (-3) & M32]),
    ("PRNGKey(uint64(2**63 + 5)) x64", lambda R: R.PRNGKey(np.uint64(2**63 + 5)), True,
     _words(2**63 + 5)),
    ("PRNGKey(uint64(2**63 + 5))", lambda R: R.PRNGKey(np.uint64(2**63 + 5)), False, [0, 5]),
    ("PRNGKey(array(2**63, uint64)) x64", lambda R: R.PRNGKey(np.array(2**63, np.uint64)),
     True, _words(2**63)),
    ("PRNGKey(int64(-5)) x64", lambda R: R.PRNGKey(np.int64(-5)), True, _words((-5) & 2**64 - 1)),
    ("PRNGKey(array([1, 2]))", lambda R: R.PRNGKey(np.array([1, 2])), False, TypeError),
    ("PRNGKey(1.5)", lambda R: R.PRNGKey(1.5), False, TypeError),
    ("PRNGKey(float32(1))", lambda R: R.PRNGKey(np.float32(1)), True, TypeError),
    ("PRNGKey(bool_(True))", lambda R: R.PRNGKey(np.bool_(True)), False, TypeError),
    ("PRNGKey(None)", lambda R: R.PRNGKey(None), False, ValueError),
    ("key(array([[3]]))", lambda R: R.key(np.array([[3]])), False, TypeError),
    # impl and dtype
    ("key(impl=threefry2x32)", lambda R: R.key(5, impl="threefry2x32"), False, [0, 5]),
    ("key(dtype=threefry2x32)", lambda R: R.key(5, dtype="threefry2x32"), False, [0, 5]),
    ("key(dtype=key_dtype())", lambda R: R.key(5, dtype=R.key_dtype()), False, [0, 5]),
    ("PRNGKey(impl=threefry2x32)", lambda R: R.PRNGKey(5, impl="threefry2x32"), False, [0, 5]),
    ("key(impl and dtype)", lambda R: R.key(0, impl="threefry2x32", dtype="threefry2x32"),
     False, ValueError),
    ("key(impl=nope)", lambda R: R.key(0, impl="nope"), False, ValueError),
    ("key(impl=3)", lambda R: R.key(0, impl=3), False, TypeError),
    ("key(dtype=uint32)", lambda R: R.key(0, dtype=np.uint32), False, TypeError),
    ("key_dtype(nope)", lambda R: R.key_dtype("nope"), False, ValueError),
    ("wrap_key_data(dtype=)", lambda R: R.wrap_key_data(np.array([0, 7], np.uint32),
                                                         dtype="threefry2x32"), False, [0, 7]),
    ("wrap_key_data(impl and dtype)", lambda R: R.wrap_key_data(
        np.array([0, 7], np.uint32), impl="threefry2x32", dtype="threefry2x32"), False, ValueError),
    ("wrap_key_data(int32)", lambda R: R.wrap_key_data(np.array([0, 7], np.int32)), False,
     TypeError),
    # fold_in's data: jnp.asarray(data, dtype="uint32")
    ("fold_in(-1)", lambda R: R.fold_in(R.PRNGKey(0), -1), False, OverflowError),
    ("fold_in(2**32)", lambda R: R.fold_in(R.PRNGKey(0), 2**32), True, OverflowError),
    ("fold_in(-1.5)", lambda R: R.fold_in(R.PRNGKey(0), -1.5), False, OverflowError),
    ("fold_in(nan)", lambda R: R.fold_in(R.PRNGKey(0), float("nan")), False, ValueError),
    ("fold_in(array([1, 2]))", lambda R: R.fold_in(R.PRNGKey(0), np.array([1, 2])), False,
     TypeError),
    ("bits(int32)", lambda R: R.bits(R.PRNGKey(0), (2,), np.int32), False, ValueError),
    ("bits(float32)", lambda R: R.bits(R.PRNGKey(0), (2,), np.float32), True, ValueError),
    ("randint(2**70)", lambda R: R.randint(R.PRNGKey(0), (2,), 0, 2**70), True, OverflowError),
    ("randint(2**63, uint64)", lambda R: R.randint(R.PRNGKey(0), (2,), 0, 2**63, "uint64"),
     True, OverflowError),
    ("randint(-2**63 - 1)", lambda R: R.randint(R.PRNGKey(0), (2,), -2**63 - 1, 0), True,
     OverflowError),
    ("randint(2**40) x32", lambda R: R.randint(R.PRNGKey(0), (2,), 0, 2**40), False,
     OverflowError),
]

# fold_in values that equal another fold_in: the data JAX makes of them.
SAME_FOLD = [
    ("1.5 is 1", 1.5, 1), ("True is 1", True, 1), ("'3' is 3", "3", 3),
    ("float32(7.9) is 7", np.float32(7.9), 7), ("int64(-1) wraps", np.int64(-1), M32),
    ("uint64(2**40) wraps", np.uint64(2**40), 0), ("float32(-1.5) as NumPy casts",
                                                   np.float32(-1.5), None),
]


@contextlib.contextmanager
def _x64(lib, on):
    if lib is jr:
        with jr.enable_x64(on):
            yield
        return
    import jax
    with jax.enable_x64(on):
        yield


def _run(lib, call, x64):
    with _x64(lib, x64):
        try:
            out = call(lib)
        except Exception as exc:  # noqa: BLE001 - the class is the result
            return type(exc)
    if lib is not jr and "key<" in str(getattr(out, "dtype", "")):
        out = lib.key_data(out)
    return np.asarray(out).tolist()


def _libs():
    libs = [jr]
    if installed("jax"):
        import jax.random
        libs.append(jax.random)
    return libs


@pytest.mark.parametrize("name,call,x64,want", CASES, ids=[c[0] for c in CASES])
def test_keys_and_errors_as_jax(name, call, x64, want):
    for lib in _libs():
        got = _run(lib, call, x64)
        if isinstance(want, type):
            assert got is want or (isinstance(got, type) and issubclass(got, want)), (lib, got)
        else:
            assert got == want, (lib.__name__, got, want)


@pytest.mark.parametrize("name,data,equal", SAME_FOLD, ids=[c[0] for c in SAME_FOLD])
def test_fold_in_reads_data_as_jax(name, data, equal):
    key = jr.PRNGKey(0)
    if equal is None:
        with np.errstate(all="ignore"):
            equal = int(np.asarray(data).astype(np.uint32))
    np.testing.assert_array_equal(jr.fold_in(key, data), jr.fold_in(key, equal))
    if installed("jax"):
        import jax
        np.testing.assert_array_equal(jr.fold_in(key, data),
                                      np.asarray(jax.random.fold_in(jax.random.PRNGKey(0), data)))


def test_key_impl_and_key_dtype():
    assert jr.key_impl(jr.PRNGKey(0)) == "threefry2x32"
    assert jr.key_impl(jr.split(jr.PRNGKey(0), 3)) == "threefry2x32"
    with pytest.raises(TypeError):
        jr.key_impl(np.zeros(3, np.uint32))
    dt = jr.key_dtype()
    assert str(dt) == "key<fry>" and dt == jr.key_dtype("threefry2x32")
    assert hash(dt) == hash(jr.key_dtype())
    with pytest.raises(ValueError, match="threefry2x32"):
        jr.key_dtype("rbg")  # JAX has it; keyrand does not implement it
    if installed("jax"):
        import jax
        typed = jax.random.key(3)
        assert jr.key_impl(typed) == jax.random.key_impl(typed) == "threefry2x32"
        assert jr.key_dtype() == jax.random.key_dtype() == typed.dtype
        # JAX's own key dtype and PRNGSpec name the implementation too.
        np.testing.assert_array_equal(jr.key(3, dtype=typed.dtype), [0, 3])
        np.testing.assert_array_equal(jr.key(3, impl=jax.random.key_impl(typed)), [0, 3])
        with pytest.raises(ValueError, match="threefry2x32"):
            jr.key(0, dtype=jax.random.key_dtype("rbg"))
        with pytest.raises(TypeError, match="PRNG key"):
            jr.key(typed)


@pytest.mark.parametrize("fn", ["split", "bits", "fold_in", "normal", "gamma", "uniform"])
def test_batched_keys_are_an_extension_jax_refuses(fn):
    """keyrand takes a batch of keys where JAX says "accepts a single key"
    (docs/jax.md): JAX raises for every such call, so no call JAX accepts
    changes meaning. Each row is the single key's result."""
    keys = jr.split(jr.PRNGKey(1), 3)
    calls = {"split": lambda R, k: R.split(k), "bits": lambda R, k: R.bits(k, (4,)),
             "fold_in": lambda R, k: R.fold_in(k, 9), "normal": lambda R, k: R.normal(k, (4,)),
             "gamma": lambda R, k: R.gamma(k, 2.0, (4,)), "uniform": lambda R, k: R.uniform(k, (4,))}
    call = calls[fn]
    got = call(jr, keys)
    for i in range(3):
        np.testing.assert_array_equal(got[i], call(jr, keys[i]))
    if installed("jax"):
        import jax
        with pytest.raises(ValueError, match="single key"):
            call(jax.random, keys)
