"""What of XLA:CPU's arithmetic depends on the host CPU, and which host
keyrand.jax follows.

XLA compiles each program for the CPU it runs on (LLVM's host features), so
``jax.random`` gives different float16 / float32 numbers on different CPUs:

* ``fp16``: with native float16 arithmetic (x86 AVX512-FP16, aarch64
  FEAT_FP16) LLVM contracts a float16 multiply and add into one float16 FMA
  (one rounding); without it every float16 operation is done in float32 and
  rounded back, and nothing is contracted (two roundings).
* ``rsqrt_steps``: XLA's float32 ``rsqrt`` (gamma's ``c``) is the CPU's
  ``rsqrtps`` estimate refined by two Newton-Raphson steps, one on an AMD CPU
  (XLA tests for SSE4A), and ``1 / sqrt(x)`` without AVX or off x86 (0 here).

By default keyrand.jax follows this machine, as JAX on it would.
:func:`set_host_profile` / :func:`host_profile_override` emulate another host
(e.g. to reproduce numbers JAX gave on another machine); the estimate itself
is this CPU's, so ``rsqrt_steps`` can change only the refinement.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import _core
from ._config import _Flag


class HostProfile(NamedTuple):
    """The host-dependent choices of XLA:CPU that keyrand.jax reproduces."""

    fp16: bool
    """float16 multiply-adds contracted (native float16 arithmetic)."""
    rsqrt_steps: int
    """Newton-Raphson steps after the float32 rsqrt estimate (0: 1 / sqrt)."""


def _this_host() -> HostProfile:
    f = _core.host_features()
    steps = 0 if not (f["x86"] and f["avx"]) else (1 if f["sse4a"] else 2)
    return HostProfile(fp16=f["fp16"], rsqrt_steps=steps)


HOST = _this_host()
# Profiles are validated when they are built (_profile), so stored as given.
_PROFILE = _Flag("keyrand_jax_host", HOST, convert=lambda profile: profile)


def _profile(fp16=None, rsqrt_steps=None, base: HostProfile = HOST) -> HostProfile:
    if fp16 is not None and not isinstance(fp16, (bool, np.bool_)):
        raise TypeError(f"fp16 must be a bool or None; got {type(fp16).__name__}")
    if rsqrt_steps is not None:
        if isinstance(rsqrt_steps, (bool, np.bool_)) or not isinstance(
                rsqrt_steps, (int, np.integer)):
            raise TypeError("rsqrt_steps must be an int (0, 1 or 2) or None; "
                            f"got {type(rsqrt_steps).__name__}")
        if rsqrt_steps not in (0, 1, 2):
            raise ValueError(f"rsqrt_steps must be 0, 1 or 2; got {rsqrt_steps}")
        if rsqrt_steps and not _core.host_features()["x86"]:
            raise ValueError("rsqrt_steps 1 and 2 refine the x86 rsqrt estimate, which "
                             "this CPU does not have; only 0 (1 / sqrt) can be computed here")
    return HostProfile(fp16=base.fp16 if fp16 is None else bool(fp16),
                       rsqrt_steps=base.rsqrt_steps if rsqrt_steps is None else int(rsqrt_steps))


def host_profile() -> HostProfile:
    """The XLA:CPU host keyrand.jax reproduces here (this CPU unless changed).

    Example:
        >>> from keyrand import jax as jr
        >>> p = jr.host_profile()
        >>> p.rsqrt_steps in (0, 1, 2), isinstance(p.fp16, bool)
        (True, True)
    """
    return _PROFILE.get()


def set_host_profile(fp16=None, rsqrt_steps=None) -> None:
    """Emulate another host's XLA:CPU globally; a field left None follows
    this CPU (``set_host_profile()`` restores it entirely).

    Example:
        >>> from keyrand import jax as jr
        >>> jr.set_host_profile(fp16=True)     # as JAX on a Sapphire Rapids
        >>> jr.host_profile().fp16
        True
        >>> jr.set_host_profile()
    """
    _PROFILE.set_default(_profile(fp16, rsqrt_steps))


def host_profile_override(fp16=None, rsqrt_steps=None):
    """:func:`set_host_profile` inside a ``with`` block (this context only);
    None keeps the profile in force.

    Example:
        >>> from keyrand import jax as jr
        >>> import numpy as np
        >>> with jr.host_profile_override(fp16=False):
        ...     x = jr.uniform(jr.PRNGKey(0), (2,), np.float16, -1.0, 3.0)
    """
    return _PROFILE.scoped(_profile(fp16, rsqrt_steps, base=host_profile()))
