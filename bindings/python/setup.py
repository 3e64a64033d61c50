"""Build rahdari's Python bindings against an installed librahdari.

    pip install --no-build-isolation ./bindings/python

finds the library with `pkg-config --cflags --libs rahdari` (set PKG_CONFIG_PATH when it
is installed under a prefix pkg-config does not search, e.g.
PKG_CONFIG_PATH=/opt/rahdari/lib/pkgconfig). The extension is linked with a run path to
the library's directory, so it loads without LD_LIBRARY_PATH. --no-build-isolation uses
the setuptools already installed (Debian: python3-setuptools) and needs no network.

In the source tree, `./configure && make` builds the same extension with automake and
`make install` installs it; this file is for installing into another interpreter or a
virtual environment. See doc/python.md.
"""

import os
import shlex
import subprocess
import sys

from setuptools import Extension, setup

HERE = os.path.dirname(os.path.abspath(__file__))


def pkg_config(*args):
    cmd = [os.environ.get("PKG_CONFIG", "pkg-config"), *args, "rahdari"]
    try:
        out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except FileNotFoundError:
        sys.exit("setup.py: pkg-config not found (Debian: apt-get install pkg-config)")
    except subprocess.CalledProcessError as e:
        sys.exit("setup.py: %s failed: %s\nInstall librahdari first (make install), and set "
                 "PKG_CONFIG_PATH to the directory of its rahdari.pc."
                 % (" ".join(cmd), e.stderr.decode(errors="replace").strip()))
    return out.stdout.decode().strip()


def flags():
    cflags = shlex.split(pkg_config("--cflags"))
    libs = shlex.split(pkg_config("--libs"))
    include_dirs = [f[2:] for f in cflags if f.startswith("-I")]
    library_dirs = [f[2:] for f in libs if f.startswith("-L")]
    libraries = [f[2:] for f in libs if f.startswith("-l")]
    extra_compile = [f for f in cflags if not f.startswith("-I")]
    extra_link = [f for f in libs if not (f.startswith("-L") or f.startswith("-l"))]
    libdir = pkg_config("--variable=libdir")
    runtime = [libdir] if libdir else library_dirs
    return dict(include_dirs=include_dirs, library_dirs=library_dirs, libraries=libraries,
                runtime_library_dirs=runtime, extra_compile_args=extra_compile,
                extra_link_args=extra_link)


SOURCES = ["audit.c", "case.c", "errors.c", "licence.c", "module.c", "mrz.c", "report.c",
           "rules.c", "util.c"]

if len(sys.argv) > 1 and sys.argv[1] in ("--help", "--help-commands", "--version", "egg_info",
                                          "sdist", "clean"):
    ext_flags = {}
else:
    ext_flags = flags()

setup(
    name="rahdari",
    version=pkg_config("--modversion") if ext_flags else "0.1.0",
    description="Check travel-agency work (bookings, licences, visas) against the law: "
                "Python bindings of librahdari",
    long_description=__doc__,
    license="MIT",
    python_requires=">=3.8",
    packages=["rahdari"],
    package_data={"rahdari": ["py.typed", "_rahdari.pyi"]},
    ext_modules=[
        Extension(
            "rahdari._rahdari",
            sources=[os.path.join("src", s) for s in SOURCES],
            depends=[os.path.join("src", "rdpy.h")],
            **ext_flags,
        )
    ],
    zip_safe=False,
)
