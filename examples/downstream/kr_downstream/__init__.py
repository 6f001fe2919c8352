"""Example of a project built on keyrand's C API (keyrand/c_random.pxd).

Example:
    >>> import keyrand
    >>> import kr_downstream
    >>> kr_downstream.uniform(keyrand.key(0), 3).dtype
    dtype('float32')
"""
from ._draws import bits, estimate_pi, normal, normal64, uniform, uniform64, uniform_range

__all__ = ["bits", "estimate_pi", "normal", "normal64", "uniform", "uniform64", "uniform_range"]
