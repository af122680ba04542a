#!/usr/bin/env python3
"""Writes the ESP8266 NONOS flash images of a linked firmware ELF (esptool's v1 image format).

  elf2image.py FIRMWARE.elf OUTDIR [--init-data esp_init_data_default_v08.bin] [--flash-mode dio]
               [--flash-freq 40m] [--flash-size 4MB]

writes OUTDIR/0x00000.bin (header + the RAM segments, loaded by the ROM), OUTDIR/0x10000.bin (.irom0.text, run
from flash) and, with --init-data, OUTDIR/flash_4MB.bin: one 4 MB image of the whole flash (both parts, the
init data at 0x3FC000, every other byte 0xFF as an erased sector).

Format (esptool elf2image, ESP8266 v1):
  header <BBBBI>: magic 0xE9, segment count, flash mode, (size << 4 | frequency), entry point;
  per segment <II> address, length, then the data padded to 4 bytes;
  zero padding to 15 mod 16, then one checksum byte: 0xEF XOR every segment data byte.
The irom part is written raw at flash offset (its address - 0x40200000).
Standard library only; every bad input ends with one line saying what was wrong and exit status 2.
"""
import argparse
import os
import struct
import sys

IMAGE_MAGIC = 0xE9
CHECKSUM_SEED = 0xEF
IROM_BASE = 0x40200000
IROM_END = 0x40300000
IROM_OFFSET = 0x10000  # where .irom0.text starts in flash with the SDK's eagle.app.v6.ld
FLASH_MODES = {"qio": 0, "qout": 1, "dio": 2, "dout": 3}
FLASH_FREQS = {"40m": 0x0, "26m": 0x1, "20m": 0x2, "80m": 0xF}
FLASH_SIZES = {"512KB": (0x0, 512 << 10), "256KB": (0x1, 256 << 10), "1MB": (0x2, 1 << 20),
               "2MB": (0x3, 2 << 20), "4MB": (0x4, 4 << 20)}
INIT_DATA_FROM_END = 0x4000  # esp_init_data_default at size - 16 KB (0x3FC000 on 4 MB)
SECTOR = 0x1000

SHT_PROGBITS = 1
SHF_ALLOC = 0x2
# RAM the ROM loader can write: DRAM (0x3FFE8000..0x40000000) and IRAM (0x40100000..0x40108000).
RAM_RANGES = ((0x3FFE8000, 0x40000000), (0x40100000, 0x40108000))


class ImageError(Exception):
    pass


def read_sections(path):
    """[(name, address, data)] of the ELF's allocated PROGBITS sections, plus the entry point."""
    try:
        with open(path, "rb") as f:
            elf = f.read()
    except OSError as e:
        raise ImageError(f"cannot read the firmware ELF {path}: {e.strerror}; build it first "
                         "(./weft firmware APP)")
    if len(elf) < 52 or elf[:4] != b"\x7fELF":
        raise ImageError(f"{path} is not an ELF file (no ELF magic)")
    if elf[4] != 1 or elf[5] != 1:
        raise ImageError(f"{path} is not a 32-bit little-endian ELF (an ESP8266 firmware is)")
    e_machine, = struct.unpack_from("<H", elf, 18)
    if e_machine != 94:
        raise ImageError(f"{path} is not an Xtensa ELF (e_machine {e_machine}, expected 94)")
    entry, = struct.unpack_from("<I", elf, 24)
    shoff, = struct.unpack_from("<I", elf, 32)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 46)
    if shoff == 0 or shnum == 0 or shstrndx >= shnum or shoff + shnum * shentsize > len(elf):
        raise ImageError(f"{path} has no usable section table (truncated ELF?)")
    headers = [struct.unpack_from("<IIIIIIIIII", elf, shoff + i * shentsize) for i in range(shnum)]
    strtab = headers[shstrndx]
    names = elf[strtab[4]:strtab[4] + strtab[5]]
    sections = []
    for name_off, kind, flags, addr, off, size, *_ in headers:
        name = names[name_off:names.index(b"\0", name_off)].decode("ascii", "replace")
        if kind != SHT_PROGBITS or not flags & SHF_ALLOC or size == 0:
            continue
        if off + size > len(elf):
            raise ImageError(f"{path}: section {name} runs past the end of the file (truncated ELF?)")
        sections.append((name, addr, elf[off:off + size]))
    return entry, sections


def pad4(data):
    return data + b"\0" * (-len(data) % 4)


def build(entry, sections, mode, freq, size_code, elf_name):
    irom = [s for s in sections if IROM_BASE <= s[1] < IROM_END]
    ram = sorted((s for s in sections if s not in irom), key=lambda s: s[1])
    if len(irom) != 1:
        raise ImageError(f"{elf_name}: expected one .irom0.text section at 0x{IROM_BASE:08X}, found "
                         f"{len(irom)} (linked with the SDK's eagle.app.v6.ld?)")
    if irom[0][1] != IROM_BASE + IROM_OFFSET:
        raise ImageError(f"{elf_name}: {irom[0][0]} starts at 0x{irom[0][1]:08X}, expected "
                         f"0x{IROM_BASE + IROM_OFFSET:08X} (the 0x10000.bin layout)")
    if not ram:
        raise ImageError(f"{elf_name}: no RAM sections (.text/.data/.rodata) to load")
    for name, addr, data in ram:
        if not any(lo <= addr and addr + len(data) <= hi for lo, hi in RAM_RANGES):
            raise ImageError(f"{elf_name}: section {name} at 0x{addr:08X} (+{len(data)}) is neither in IRAM "
                             "nor in DRAM; the ROM loader cannot place it")
    if len(ram) > 255:
        raise ImageError(f"{elf_name}: {len(ram)} segments, the header holds at most 255")
    out = bytearray(struct.pack("<BBBBI", IMAGE_MAGIC, len(ram), mode, (size_code << 4) | freq, entry))
    checksum = CHECKSUM_SEED
    for _, addr, data in ram:
        data = pad4(data)
        out += struct.pack("<II", addr, len(data)) + data
        for b in data:
            checksum ^= b
    out += b"\0" * (15 - len(out) % 16)
    out.append(checksum)
    return bytes(out), pad4(irom[0][2])


def flash_image(boot, irom, init_data, flash_bytes):
    if len(boot) > IROM_OFFSET:
        raise ImageError(f"0x00000.bin is {len(boot)} bytes and overlaps 0x10000.bin")
    init_at = flash_bytes - INIT_DATA_FROM_END
    # The SDK keeps its system parameters in the last 5 sectors but the init data's; they stay 0xFF
    # (blank) at init_at - 0x1000 and init_at + 0x1000 .. end.
    if IROM_OFFSET + len(irom) > init_at - SECTOR:
        raise ImageError(f"0x10000.bin ({len(irom)} bytes) runs into the SDK's parameter sectors at "
                         f"0x{init_at - SECTOR:X}")
    if len(init_data) > SECTOR:
        raise ImageError(f"the init data is {len(init_data)} bytes, more than one sector")
    image = bytearray(b"\xff" * flash_bytes)
    image[0:len(boot)] = boot
    image[IROM_OFFSET:IROM_OFFSET + len(irom)] = irom
    image[init_at:init_at + len(init_data)] = init_data
    return bytes(image)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("elf")
    p.add_argument("outdir")
    p.add_argument("--init-data", help="the SDK's bin/esp_init_data_default_v08.bin: also write flash_<size>.bin")
    p.add_argument("--flash-mode", choices=FLASH_MODES, default="dio")
    p.add_argument("--flash-freq", choices=FLASH_FREQS, default="40m")
    p.add_argument("--flash-size", choices=FLASH_SIZES, default="4MB")
    args = p.parse_args(argv)
    try:
        entry, sections = read_sections(args.elf)
        size_code, flash_bytes = FLASH_SIZES[args.flash_size]
        boot, irom = build(entry, sections, FLASH_MODES[args.flash_mode], FLASH_FREQS[args.flash_freq],
                           size_code, args.elf)
        init = None
        if args.init_data:
            try:
                with open(args.init_data, "rb") as f:
                    init = f.read()
            except OSError as e:
                raise ImageError(f"cannot read the init data {args.init_data}: {e.strerror} (it is the "
                                 "SDK's bin/esp_init_data_default_v08.bin)")
            whole = flash_image(boot, irom, init, flash_bytes)
        try:
            os.makedirs(args.outdir, exist_ok=True)
            outputs = {"0x00000.bin": boot, f"0x{IROM_OFFSET:05x}.bin": irom}
            if init is not None:
                outputs[f"flash_{args.flash_size}.bin"] = whole
            for name, data in outputs.items():
                with open(os.path.join(args.outdir, name), "wb") as f:
                    f.write(data)
        except OSError as e:
            raise ImageError(f"cannot write the images into {args.outdir}: {e.strerror}")
    except ImageError as e:
        print(f"elf2image: {e}", file=sys.stderr)
        return 2
    for name, data in outputs.items():
        print(f"{name}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
