"""Build kr_downstream._draws against keyrand's C API.

keyrand.get_include() is the only thing needed: the directory that makes
`from keyrand.c_random cimport ...` resolve. No C headers, no libraries:
the compiled module finds keyrand's functions in keyrand._core when it is
imported.
"""
import keyrand
from Cython.Build import cythonize
from setuptools import Extension, setup

extensions = [Extension("kr_downstream._draws", ["kr_downstream/_draws.pyx"])]

setup(
    ext_modules=cythonize(
        extensions,
        include_path=[keyrand.get_include()],
        compiler_directives={"language_level": 3, "boundscheck": False,
                             "wraparound": False},
    ),
)
