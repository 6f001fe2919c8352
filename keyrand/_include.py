"""Where the Cython declarations of keyrand's C API live, for building
downstream extensions (docs/c_api.md)."""
from __future__ import annotations

import os


def get_include() -> str:
    """The directory to put on Cython's ``include_path`` so that
    ``from keyrand.c_random cimport ...`` resolves.

    It is the directory holding the ``keyrand`` package folder, so
    ``<dir>/keyrand/c_random.pxd`` exists. The declarations are
    self-contained: a downstream extension needs no C header and links
    nothing; the functions are found in ``keyrand._core`` at import time.

    Example:
        >>> import os
        >>> import keyrand as kr
        >>> os.path.isfile(os.path.join(kr.get_include(), "keyrand", "c_random.pxd"))
        True
    """
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
