"""keyrand.jax's XLA host profile (keyrand/jax/_host.py): what it changes, how
it is set, and its errors. Which numbers each profile gives is checked against
the real JAX through the golden files of two kinds of host
(test_jax_sampling.py) and live (test_jax_namespace.py)."""
import numpy as np
import pytest

from keyrand import _core
from keyrand import jax as jr

X86 = _core.host_features()["x86"]


def test_the_default_follows_this_cpu():
    f = _core.host_features()
    steps = 0 if not (f["x86"] and f["avx"]) else (1 if f["sse4a"] else 2)
    assert jr.host_profile() == jr.HostProfile(fp16=f["fp16"], rsqrt_steps=steps)


def test_override_is_scoped_and_nests():
    before = jr.host_profile()
    with jr.host_profile_override(fp16=not before.fp16):
        assert jr.host_profile().fp16 is (not before.fp16)
        with jr.host_profile_override(rsqrt_steps=0):
            assert jr.host_profile() == jr.HostProfile(not before.fp16, 0)
        assert jr.host_profile().rsqrt_steps == before.rsqrt_steps
    assert jr.host_profile() == before


def test_set_host_profile_and_restore():
    before = jr.host_profile()
    try:
        jr.set_host_profile(fp16=True)
        assert jr.host_profile().fp16 is True
        assert jr.host_profile().rsqrt_steps == before.rsqrt_steps
    finally:
        jr.set_host_profile()
    assert jr.host_profile() == before


@pytest.mark.parametrize("kwargs, error, name", [
    (dict(fp16=1), TypeError, "fp16"), (dict(fp16="yes"), TypeError, "fp16"),
    (dict(rsqrt_steps=1.0), TypeError, "rsqrt_steps"),
    (dict(rsqrt_steps=True), TypeError, "rsqrt_steps"),
    (dict(rsqrt_steps=3), ValueError, "rsqrt_steps"),
    (dict(rsqrt_steps=-1), ValueError, "rsqrt_steps"),
])
def test_bad_profiles_name_the_argument(kwargs, error, name):
    with pytest.raises(error, match=name):
        jr.set_host_profile(**kwargs)
    with pytest.raises(error, match=name):
        with jr.host_profile_override(**kwargs):
            pass
    assert jr.host_profile() == jr.HostProfile(**jr._host.HOST._asdict())


@pytest.mark.skipif(X86, reason="the estimate exists on x86-64")
def test_no_estimate_off_x86():
    with pytest.raises(ValueError, match="rsqrt_steps"):
        jr.set_host_profile(rsqrt_steps=2)


def _rsqrt(x, steps):
    out = np.empty_like(x)
    _core.xla_rsqrt_f32(x, steps, out)
    return out


def test_rsqrt_without_estimate_is_one_over_sqrt():
    x = np.geomspace(1e-30, 1e30, 10001).astype(np.float32)
    with np.errstate(all="ignore"):
        want = np.float32(1) / np.sqrt(x)
    np.testing.assert_array_equal(_rsqrt(x, 0), want)


@pytest.mark.skipif(not X86, reason="the rsqrt estimate is x86's")
def test_rsqrt_refinements_are_close_and_distinct():
    x = np.geomspace(1e-3, 1e3, 20001).astype(np.float32)
    exact = 1.0 / np.sqrt(x.astype(np.float64))
    one, two = _rsqrt(x, 1), _rsqrt(x, 2)
    for y in (one, two):
        assert np.max(np.abs(y - exact) / exact) < 4 * np.finfo(np.float32).eps
    assert (one != two).any()  # the steps matter: which one XLA takes is the host's
    with pytest.raises(ValueError, match="steps"):
        _rsqrt(x, 3)


def test_fp16_profile_changes_only_float16_multiply_adds():
    """wald's float16 FMAs round once or twice by the profile; float32 and
    bfloat16 do not depend on it."""
    key = jr.PRNGKey(3)
    runs = {}
    for fp16 in (False, True):
        with jr.host_profile_override(fp16=fp16):
            runs[fp16] = [jr.wald(key, 1.5, (4001,), dt) for dt in ("float16", "float32",
                                                                    "bfloat16")]
    f16 = [r[0].view(np.uint16) for r in runs.values()]
    assert (f16[0] != f16[1]).any()
    for i in (1, 2):
        np.testing.assert_array_equal(runs[False][i], runs[True][i])
