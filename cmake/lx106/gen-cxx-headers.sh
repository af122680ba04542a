#!/bin/sh
# Generates the C++ standard library headers for xtensa-lx106-elf (Debian's cross gcc ships none) from the GCC
# source package, header-only: libstdc++'s configure decides c++config.h for this target, then only the
# install-headers rules run (nothing is compiled). Called once by Lx106Target.cmake; takes about a minute.
#
# usage: gen-cxx-headers.sh <out-dir> <gcc-source-tarball> <c-compiler> <c++-compiler>
# result: <out-dir>/include/c++/<ver> and <out-dir>/include/c++/<ver>/xtensa-lx106-elf, the caller stamps it.
set -eu
out=$1 tarball=$2 cc=$3 cxx=$4
here=$(cd "$(dirname "$0")" && pwd)

[ -r "$tarball" ] || { echo "gen-cxx-headers: $tarball not found: apt-get install gcc-12-source" >&2; exit 1; }
rm -rf "$out/work" "$out/include" "$out/stamp"
mkdir -p "$out/work"
cd "$out/work"

# Only what libstdc++'s configure and header install need, not the whole GCC tree.
top=$(tar -tJf "$tarball" | head -1 | cut -d/ -f1)
tar -xJf "$tarball" \
  "$top/libstdc++-v3" "$top/config" "$top/include" "$top/libgcc" "$top/config.sub" "$top/config.guess" \
  "$top/install-sh" "$top/config-ml.in" "$top/ltmain.sh" "$top/missing" "$top/mkinstalldirs" \
  "$top/move-if-change" "$top/config.rpath" "$top/compile" "$top/depcomp" "$top/multilib.am" \
  "$top/gcc/BASE-VER" "$top/gcc/DATESTAMP" "$top/gcc/DEV-PHASE"

# Configure's link tests must link a trivial C program: picolibc + a literal-interleaving linker script + stubs
# for the libgcc helpers and stdio FILEs the Debian packages leave out.
specs=-specs=/usr/lib/xtensa-lx106-elf/picolibc.specs
"$cc" $specs -mlongcalls -Os -c "$here/probe-stubs.c" -o probe-stubs.o

mkdir build && cd build
log="$out/work/configure.log"
if ! CC="$cc $specs" CXX="$cxx $specs" CFLAGS="-Os -mlongcalls" CXXFLAGS="-Os -mlongcalls -fno-exceptions -fno-rtti" \
    LDFLAGS="-T$here/probe.ld $out/work/probe-stubs.o" \
    "../$top/libstdc++-v3/configure" --host=xtensa-lx106-elf --prefix="$out" --with-newlib \
      --disable-shared --disable-multilib --disable-libstdcxx-pch --disable-nls >"$log" 2>&1; then
  tail -30 "$log" >&2
  echo "gen-cxx-headers: libstdc++ configure failed; full log in $log" >&2
  exit 1
fi
make -C include install >>"$log" 2>&1 || { tail -30 "$log" >&2; exit 1; }
make -C libsupc++ install-bitsHEADERS install-stdHEADERS >>"$log" 2>&1 || { tail -30 "$log" >&2; exit 1; }

cd "$out" && rm -rf work
# Lx106Target.cmake writes the stamp (with the inputs it was made from).
