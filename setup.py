"""Build keyrand: the C core (one object per instruction set, each compiled
with only its own flags) linked into one Cython extension, keyrand._core,
plus keyrand._bitgen (the NumPy bit generator), which calls the core through
keyrand._core's exported C API and links nothing of it.

Metadata lives in pyproject.toml; this file only describes the extension.
"""
import json
import os
import platform

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
C_DIR = os.path.join("src", "c")

with open(os.path.join(HERE, C_DIR, "build.json")) as f:
    BUILD = json.load(f)

ARCH_ALIASES = {"amd64": "x86_64", "x86_64": "x86_64", "arm64": "aarch64", "aarch64": "aarch64"}


# KEYRAND_SANITIZE=1: AddressSanitizer + UBSan in the C core and the Cython
# modules (run Python with the ASan runtime preloaded: docs/quality.md).
SANITIZE = os.environ.get("KEYRAND_SANITIZE", "") == "1"
SANITIZE_FLAGS = BUILD["sanitize"]["unix"] if SANITIZE and os.name != "nt" else []


def target_arch():
    """The architecture we compile for (KEYRAND_ARCH overrides, for cross builds)."""
    name = os.environ.get("KEYRAND_ARCH") or platform.machine()
    return ARCH_ALIASES.get(name.lower(), name.lower())


# The one extension that contains the C core. Others (keyrand._bitgen) reach
# it through its exported C API (keyrand/c_random.pxd) and link nothing.
CORE_EXTENSION = "keyrand._core"


class BuildCore(build_ext):
    """Compile the C core with per-file flags, then link it into keyrand._core."""

    def run(self):
        # Objects of an ordinary and a sanitized build must never mix: a change
        # of mode since the last build in this build directory rebuilds all.
        mode = "sanitize" if SANITIZE else "normal"
        stamp = os.path.join(self.build_temp, "keyrand-build-mode")
        if not os.path.exists(stamp) or open(stamp).read() != mode:
            self.force = True
        super().run()
        os.makedirs(self.build_temp, exist_ok=True)
        with open(stamp, "w") as f:
            f.write(mode)

    def build_extension(self, ext):
        if ext.name != CORE_EXTENSION:
            super().build_extension(ext)
            return
        kind = "msvc" if self.compiler.compiler_type == "msvc" else "unix"
        common = BUILD["flags"][kind] + SANITIZE_FLAGS
        units = [(src, []) for src in BUILD["common_sources"]]
        units += [(src, flags[kind]) for src, flags in BUILD["kernels"].get(target_arch(), {}).items()]
        objects = []
        for src, isa_flags in units:
            objects += self.compiler.compile(
                [os.path.join(C_DIR, src)],
                output_dir=self.build_temp,
                include_dirs=[C_DIR],
                extra_postargs=common + isa_flags,
                depends=[os.path.join(C_DIR, h) for h in os.listdir(C_DIR) if h.endswith(".h")],
            )
        ext.extra_objects = objects + list(ext.extra_objects or [])
        super().build_extension(ext)


NUMPY_MACROS = [("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")]

extensions = [
    Extension(
        CORE_EXTENSION,
        sources=[os.path.join("src", "pyx", "_core.pyx")],
        include_dirs=[C_DIR, numpy.get_include()],
        define_macros=NUMPY_MACROS,
        libraries=[] if os.name == "nt" else ["m", "pthread"],
        extra_compile_args=SANITIZE_FLAGS,
        extra_link_args=SANITIZE_FLAGS,
    ),
    # numpy.random.BitGenerator subclass; numpy's headers for bitgen_t.
    Extension(
        "keyrand._bitgen",
        sources=[os.path.join("src", "pyx", "_bitgen.pyx")],
        include_dirs=[numpy.get_include()],
        define_macros=NUMPY_MACROS,
        extra_compile_args=SANITIZE_FLAGS,
        extra_link_args=SANITIZE_FLAGS,
    ),
]

setup(
    ext_modules=cythonize(
        extensions,
        # The repository root, so Cython finds keyrand/_core.pxd (the exported
        # C API of keyrand._core) and keyrand/c_random.pxd.
        include_path=[HERE],
        compiler_directives={
            "language_level": 3,
            "boundscheck": False,
            "wraparound": False,
            "cdivision": True,
        },
    ),
    cmdclass={"build_ext": BuildCore},
)
