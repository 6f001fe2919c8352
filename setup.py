"""Build keyrand: the C core (one object per instruction set, each compiled
with only its own flags) linked into one Cython extension, keyrand._core,
plus keyrand._bitgen (the NumPy bit generator), which calls the core through
keyrand._core's exported C API and links nothing of it.

Metadata lives in pyproject.toml; this file only describes the extension.
"""
import json
import os

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
C_DIR = os.path.join("src", "c")

with open(os.path.join(HERE, C_DIR, "build.json")) as f:
    BUILD = json.load(f)

# Platform tags' last field (setuptools' plat_name: linux-x86_64, win-amd64,
# macosx-11.0-arm64, ...) -> the architectures in build.json's "kernels".
# A universal2 binary holds two.
PLATFORM_ARCHES = {
    "x86_64": ["x86_64"], "amd64": ["x86_64"],
    "aarch64": ["aarch64"], "arm64": ["aarch64"],
    "universal2": ["x86_64", "aarch64"],
}
APPLE_ARCH_NAMES = {"x86_64": "x86_64", "aarch64": "arm64"}


# KEYRAND_SANITIZE=1: AddressSanitizer + UBSan in the C core and the Cython
# modules (run Python with the ASan runtime preloaded: docs/quality.md).
SANITIZE = os.environ.get("KEYRAND_SANITIZE", "") == "1"
SANITIZE_FLAGS = BUILD["sanitize"]["unix"] if SANITIZE and os.name != "nt" else []


def target_arches(plat_name):
    """The architectures we compile for: KEYRAND_ARCH (for cross builds by
    hand), else the platform the wheel is for, which cross builds by
    cibuildwheel (macOS arm64 on x86_64, Windows ARM64 on AMD64) set. Another
    architecture gets the scalar kernel only."""
    name = os.environ.get("KEYRAND_ARCH") or plat_name.rsplit("-", 1)[-1]
    return PLATFORM_ARCHES.get(name.lower(), [])


def kernel_units(plat_name, kind):
    """(source, flags) of each kernel file. In a universal2 build every file
    is compiled for both slices, its ISA flags scoped to its own slice with
    -Xarch_ (each file's body is compiled only for its own architecture)."""
    arches = target_arches(plat_name)
    units = []
    for arch in arches:
        for src, flags in BUILD["kernels"].get(arch, {}).items():
            isa = flags[kind]
            if len(arches) > 1:
                isa = [x for flag in isa for x in (f"-Xarch_{APPLE_ARCH_NAMES[arch]}", flag)]
            units.append((src, isa))
    return units


CYTHON_FLAGS = {"unix": ["-ffp-contract=off"], "msvc": []}

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
        kind = "msvc" if self.compiler.compiler_type == "msvc" else "unix"
        # Cython's C too: no implicit fused multiply-adds anywhere in keyrand
        # (MSVC 2022 does not contract under its default /fp:precise).
        ext.extra_compile_args = list(ext.extra_compile_args) + CYTHON_FLAGS[kind]
        if ext.name != CORE_EXTENSION:
            super().build_extension(ext)
            return
        common = BUILD["flags"][kind] + SANITIZE_FLAGS
        units = [(src, []) for src in BUILD["common_sources"]]
        units += kernel_units(self.plat_name, kind)
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


# Built against NumPy 2, the extensions run on every NumPy the package
# accepts (numpy>=1.25 in pyproject.toml).
NUMPY_MACROS = [("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION"),
                ("NPY_TARGET_VERSION", "NPY_1_25_API_VERSION")]

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
