"""How many threads large requests use: KEYRAND_NUM_THREADS (read at
import), set_num_threads() / get_num_threads(), and a threadpoolctl
controller so ``threadpool_limits`` caps keyrand like BLAS and OpenMP.

The count never changes the numbers: requests are cut into fixed-size tasks
whatever the number of threads that run them."""
from __future__ import annotations

import operator
import os

from . import _core
from ._version import __version__

ENV_VAR = "KEYRAND_NUM_THREADS"


def get_num_threads() -> int:
    """Threads keyrand uses for a large request, the calling thread included.

    Example:
        >>> import keyrand as kr
        >>> kr.get_num_threads() >= 1
        True
    """
    return _core.get_num_threads()


def set_num_threads(n: int | None) -> None:
    """Use ``n`` threads (the caller included) for large requests; ``None``
    restores the default, the number of CPUs this process may run on.
    Requests below about 10^5 values always run on the calling thread.

    Example:
        >>> import keyrand as kr
        >>> kr.set_num_threads(1)     # everything on the calling thread
        >>> kr.get_num_threads()
        1
        >>> kr.set_num_threads(None)  # back to one per CPU
    """
    if n is None:
        _core.set_num_threads(0)
        return
    if isinstance(n, bool):
        raise TypeError("n must be an integer or None; got a bool")
    try:
        count = operator.index(n)
    except TypeError as exc:
        raise TypeError(f"n must be an integer or None; got {type(n).__name__}") from exc
    if count < 1:
        raise ValueError(f"n must be at least 1; got {count}")
    _core.set_num_threads(min(count, 256))


def apply_environment() -> None:
    """Honour KEYRAND_NUM_THREADS; a value that is not a positive integer is an error."""
    value = os.environ.get(ENV_VAR, "").strip()
    if not value:
        return
    try:
        count = int(value)
        if count < 1:
            raise ValueError
    except ValueError:
        raise RuntimeError(f"{ENV_VAR}={value!r}: expected a positive integer") from None
    set_num_threads(count)


def register_threadpoolctl() -> None:
    """Make threadpoolctl see keyrand's pool, if threadpoolctl is installed."""
    try:
        import threadpoolctl
    except ImportError:
        return
    if not hasattr(threadpoolctl, "register"):  # threadpoolctl < 3.4
        return

    class KeyrandController(threadpoolctl.LibController):
        user_api = "keyrand"
        internal_api = "keyrand"
        filename_prefixes = ("_core",)
        check_symbols = ("kr_pool_set_threads", "kr_pool_threads")

        def get_num_threads(self):
            return get_num_threads()

        def set_num_threads(self, num_threads):
            set_num_threads(num_threads)

        def get_version(self):
            return __version__

    threadpoolctl.register(KeyrandController)
