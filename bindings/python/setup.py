"""Build the C extension of rahdari's Python bindings against an installed librahdari.

The package's metadata is in pyproject.toml; this file only describes the extension,
rahdari._rahdari, and finds the library when the extension is built (not for metadata or
an sdist):

- RAHDARI_CFLAGS and RAHDARI_LIBS, when both are set, are the compiler and linker flags
  (like the overrides of autoconf's PKG_CHECK_MODULES), e.g.
  RAHDARI_CFLAGS="-I/opt/rahdari/include" RAHDARI_LIBS="-L/opt/rahdari/lib -lrahdari";
- otherwise `pkg-config --cflags --libs rahdari` (set PKG_CONFIG_PATH when the library
  is installed under a prefix pkg-config does not search, e.g.
  PKG_CONFIG_PATH=/opt/rahdari/lib/pkgconfig).

The extension is linked with a run path to the library's directory, so it loads without
LD_LIBRARY_PATH. Offline: `python3 -m pip wheel --no-build-isolation --no-deps .` uses the
setuptools and wheel already installed (doc/python.md).

In the source tree, `./configure && make` builds the same extension with automake and
`make install` installs it; this file is for another interpreter, a virtual environment
or a wheel.
"""

import os
import shlex
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


def pkg_config(*args):
    cmd = [os.environ.get("PKG_CONFIG", "pkg-config"), *args, "rahdari"]
    try:
        out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except FileNotFoundError:
        sys.exit("setup.py: pkg-config not found (Debian: apt-get install pkg-config), "
                 "and RAHDARI_CFLAGS and RAHDARI_LIBS are not set")
    except subprocess.CalledProcessError as e:
        sys.exit("setup.py: %s failed: %s\nInstall librahdari first (make install), and set "
                 "PKG_CONFIG_PATH to the directory of its rahdari.pc, or set RAHDARI_CFLAGS "
                 "and RAHDARI_LIBS."
                 % (" ".join(cmd), e.stderr.decode(errors="replace").strip()))
    return out.stdout.decode().strip()


def library_flags():
    """The extension's compiler and linker settings, from the environment or pkg-config."""
    env_cflags = os.environ.get("RAHDARI_CFLAGS")
    env_libs = os.environ.get("RAHDARI_LIBS")
    if env_cflags is not None and env_libs is not None:
        cflags, libs, libdir = shlex.split(env_cflags), shlex.split(env_libs), None
    elif env_cflags is not None or env_libs is not None:
        sys.exit("setup.py: set both RAHDARI_CFLAGS and RAHDARI_LIBS, or neither (pkg-config)")
    else:
        cflags = shlex.split(pkg_config("--cflags"))
        libs = shlex.split(pkg_config("--libs"))
        libdir = pkg_config("--variable=libdir")
    library_dirs = [f[2:] for f in libs if f.startswith("-L")]
    return dict(
        include_dirs=[f[2:] for f in cflags if f.startswith("-I")],
        library_dirs=library_dirs,
        libraries=[f[2:] for f in libs if f.startswith("-l")],
        runtime_library_dirs=[libdir] if libdir else library_dirs,
        extra_compile_args=[f for f in cflags if not f.startswith("-I")],
        extra_link_args=[f for f in libs if not (f.startswith("-L") or f.startswith("-l"))],
    )


class BuildExt(build_ext):
    """build_ext that asks for librahdari's flags only when an extension is built."""

    def build_extension(self, ext):
        for key, value in library_flags().items():
            setattr(ext, key, list(getattr(ext, key) or []) + value)
        super().build_extension(ext)


SOURCES = ["audit.c", "case.c", "errors.c", "licence.c", "module.c", "mrz.c", "report.c",
           "rules.c", "util.c"]

setup(
    ext_modules=[
        Extension(
            "rahdari._rahdari",
            sources=[os.path.join("src", s) for s in SOURCES],
            depends=[os.path.join("src", "rdpy.h")],
        )
    ],
    cmdclass={"build_ext": BuildExt},
)
