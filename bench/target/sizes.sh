#!/bin/sh
# Flash and RAM of an lx106_qemu ELF, split by component, from its link map (<elf>.map, written by the
# board's link options): core (libweft_core.a), core-hdr (out-of-line functions of weft's header templates,
# e.g. Queue<T, N>, emitted in the app's objects), frame arena, board, libc (picolibc), libgcc, app.
#
#   sizes.sh app.elf
#
# flash = the image: irom0 code + vtables/init arrays, IRAM code, .data and .rodata initial values.
# RAM   = .data + .rodata (the ESP8266 keeps .rodata in DRAM: flash allows only 32-bit loads) + .bss.
# Header code that the compiler inlined into the app's own functions (awaiters inside coroutine bodies) is
# counted as app: no tool can split it. Alignment padding is not attributed (the total is a little lower than
# the sum of the output sections).
set -eu
elf=$1
map=$elf.map
[ -f "$map" ] || { echo "sizes.sh: $map not found (link with the lx106_qemu board)" >&2; exit 2; }

awk '
function hex(s,   v, i, c) {
  s = tolower(s); sub(/^0x/, "", s); v = 0
  for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c }
  return v
}
function component(file, name) {
  if (name ~ /g_static_buffer/) return "arena"
  if (file ~ /libweft_core\.a/) return "core"
  if (file !~ /board\/lx106_qemu|lib(c|g|m|gcc)\.a/ && name ~ /_ZN?K?4weft/) return "core-hdr"
  if (file ~ /board\/lx106_qemu/) return "board"
  if (file ~ /libgcc\.a/) return "libgcc"
  if (file ~ /lib(c|g|m)\.a/) return "libc"
  return "app"
}
function add(size, file, name,   c, kind) {
  c = component(file, name)
  if (out == ".irom0.text" || out == ".iram1.text" || out == ".irom0.rodata") kind = "code"
  else if (out == ".data" || out == ".rodata") kind = "data"
  else if (out == ".bss") kind = "bss"
  else return
  T[c, kind] += size; seen[c] = 1
  if (out == ".iram1.text") IRAM[c] += size
}
/^Linker script and memory map/ { started = 1; next }
!started { next }
/^[^ ]/ { out = $1; pending = 0; next }
/^ [^ *]/ {
  sect = $1
  if (NF >= 4 && $2 ~ /^0x/ && $3 ~ /^0x/) add(hex($3), $4, sect)
  else if (NF == 1) pending = 1
  next
}
pending && NF >= 3 && $1 ~ /^0x/ && $2 ~ /^0x/ { add(hex($2), $3, sect); pending = 0; next }
{ pending = 0 }
END {
  printf "| %-8s | %10s | %10s | %10s | %10s | %10s |\n", "part", "flash", "of it IRAM", "RAM data", "RAM bss", "RAM total"
  printf "|----------|------------|------------|------------|------------|------------|\n"
  n = split("core core-hdr arena board libc libgcc app", order, " ")
  for (i = 1; i <= n; i++) {
    c = order[i]
    if (!(c in seen)) continue
    flash = T[c, "code"] + T[c, "data"]; ram = T[c, "data"] + T[c, "bss"]
    printf "| %-8s | %10d | %10d | %10d | %10d | %10d |\n", c, flash, IRAM[c], T[c, "data"], T[c, "bss"], ram
    F += flash; I += IRAM[c]; D += T[c, "data"]; B += T[c, "bss"]
  }
  printf "| %-8s | %10d | %10d | %10d | %10d | %10d |\n", "total", F, I, D, B, D + B
}' "$map"
