#!/usr/bin/env python3
"""The image writer's output, read back by a parser written here from the format (not the writer's code).

Usage: test_elf2image.py path/to/elf2image.py. The input ELFs are made here too: a firmware-shaped Xtensa ELF
(IRAM .text, .data, .rodata, .bss, .irom0.text at 0x40210000, a symbol table) and broken variants.
"""
import os
import subprocess
import sys
import tempfile
import unittest

WRITER = None


def le32(b, at):
    return b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24


def make_elf(sections, entry=0x40100004, machine=94):
    """A minimal ELF32 LE with the given [(name, type, flags, addr, data)] sections (no program headers)."""
    names = b"\0"
    name_at = []
    for s in sections + [(".shstrtab",)]:
        name_at.append(len(names))
        names += s[0].encode() + b"\0"
    body = bytearray(52)
    offsets = []
    for s in sections:
        offsets.append(len(body))
        body += s[4] if s[1] == 1 else b""
    str_off = len(body)
    body += names
    while len(body) % 4:
        body.append(0)
    shoff = len(body)

    def sh(name, kind, flags, addr, off, size):
        return b"".join(v.to_bytes(4, "little") for v in (name, kind, flags, addr, off, size, 0, 0, 4, 0))

    table = sh(0, 0, 0, 0, 0, 0)
    for i, s in enumerate(sections):
        table += sh(name_at[i], s[1], s[2], s[3], offsets[i], len(s[4]))
    table += sh(name_at[-1], 3, 0, 0, str_off, len(names))
    shnum = len(sections) + 2
    header = (b"\x7fELF\x01\x01\x01" + b"\0" * 9 + (2).to_bytes(2, "little") + machine.to_bytes(2, "little") +
              (1).to_bytes(4, "little") + entry.to_bytes(4, "little") + (0).to_bytes(4, "little") +
              shoff.to_bytes(4, "little") + (0).to_bytes(4, "little") + (52).to_bytes(2, "little") +
              (0).to_bytes(2, "little") * 2 + (40).to_bytes(2, "little") + shnum.to_bytes(2, "little") +
              (shnum - 1).to_bytes(2, "little"))
    body[0:52] = header
    return bytes(body) + table


PROGBITS, NOBITS, SYMTAB = 1, 8, 2
ALLOC, EXEC, WRITE = 2, 4, 1
TEXT = bytes(range(1, 38))          # 37 bytes: padded to 40
DATA = b"\x10\x20\x30\x40" * 3
RODATA = b"hello, weft\0"
IROM = bytes((i * 7) & 0xFF for i in range(1001))  # padded to 1004
FIRMWARE = [
    (".data", PROGBITS, ALLOC | WRITE, 0x3FFE8000, DATA),
    (".rodata", PROGBITS, ALLOC, 0x3FFE8010, RODATA),
    (".bss", NOBITS, ALLOC | WRITE, 0x3FFE8020, b"\0" * 64),
    (".text", PROGBITS, ALLOC | EXEC, 0x40100000, TEXT),
    (".irom0.text", PROGBITS, ALLOC | EXEC, 0x40210000, IROM),
    (".comment", PROGBITS, 0, 0, b"GCC"),
    (".symtab", SYMTAB, 0, 0, b"\0" * 16),
]


def parse_boot_image(img):
    """{magic, count, mode, size_freq, entry, segments: [(addr, data)], checksum} of a v1 image."""
    out = {"magic": img[0], "count": img[1], "mode": img[2], "size_freq": img[3], "entry": le32(img, 4),
           "segments": []}
    at = 8
    for _ in range(img[1]):
        addr, length = le32(img, at), le32(img, at + 4)
        out["segments"].append((addr, img[at + 8:at + 8 + length]))
        at += 8 + length
    while at % 16 != 15:
        assert img[at] == 0, "padding before the checksum is zeros"
        at += 1
    out["checksum"] = img[at]
    out["end"] = at + 1
    return out


class Run:
    def __init__(self, elf_bytes=None, extra=(), elf_path=None):
        self.dir = tempfile.TemporaryDirectory()
        self.out = os.path.join(self.dir.name, "out")
        if elf_path is None:
            elf_path = os.path.join(self.dir.name, "fw.elf")
            with open(elf_path, "wb") as f:
                f.write(elf_bytes)
        self.init = os.path.join(self.dir.name, "init.bin")
        with open(self.init, "wb") as f:
            f.write(bytes((0x05, 0x08, 0x04, 0x02)) + bytes(range(124)))
        self.proc = subprocess.run([sys.executable, WRITER, elf_path, self.out, *extra], capture_output=True,
                                   text=True, timeout=60)

    def read(self, name):
        with open(os.path.join(self.out, name), "rb") as f:
            return f.read()


class WriterTest(unittest.TestCase):
    def writer(self, *args, **kwargs):
        r = Run(*args, **kwargs)
        self.addCleanup(r.dir.cleanup)
        return r


class ImageWriterWritesTheEsp8266Layout(WriterTest):
    def setUp(self):
        r = self.writer(make_elf(FIRMWARE))
        r2 = self.writer(make_elf(FIRMWARE), ["--init-data", r.init])
        self.plain, self.full = r, r2
        self.assertEqual(r.proc.returncode, 0, r.proc.stderr)
        self.assertEqual(r2.proc.returncode, 0, r2.proc.stderr)

    def test_header_has_the_magic_the_segment_count_and_the_entry_point(self):
        img = parse_boot_image(self.plain.read("0x00000.bin"))
        self.assertEqual(img["magic"], 0xE9)
        self.assertEqual(img["count"], 3)  # .data, .rodata, .text; not .bss/.irom0.text/.comment
        self.assertEqual(img["mode"], 2)   # dio by default
        self.assertEqual(img["size_freq"], 0x40)  # 4 MB, 40 MHz
        self.assertEqual(img["entry"], 0x40100004)

    def test_segments_carry_their_addresses_and_data_padded_to_four(self):
        img = parse_boot_image(self.plain.read("0x00000.bin"))
        self.assertEqual([a for a, _ in img["segments"]], [0x3FFE8000, 0x3FFE8010, 0x40100000])
        self.assertEqual(img["segments"][0][1], DATA)
        self.assertEqual(img["segments"][1][1], RODATA)
        self.assertEqual(img["segments"][2][1], TEXT + b"\0\0\0")
        for _, data in img["segments"]:
            self.assertEqual(len(data) % 4, 0)

    def test_checksum_is_0xEF_xor_every_segment_byte_and_ends_the_file_on_16(self):
        raw = self.plain.read("0x00000.bin")
        img = parse_boot_image(raw)
        want = 0xEF
        for _, data in img["segments"]:
            for b in data:
                want ^= b
        self.assertEqual(img["checksum"], want)
        self.assertEqual(img["end"], len(raw))
        self.assertEqual(len(raw) % 16, 0)

    def test_irom_is_written_raw_for_flash_offset_0x10000(self):
        self.assertEqual(self.plain.read("0x10000.bin"), IROM + b"\0\0\0")

    def test_whole_flash_image_places_both_parts_and_the_init_data(self):
        whole = self.full.read("flash_4MB.bin")
        self.assertEqual(len(whole), 4 * 1024 * 1024)
        boot = self.full.read("0x00000.bin")
        self.assertEqual(whole[:len(boot)], boot)
        self.assertTrue(all(b == 0xFF for b in whole[len(boot):0x10000]))
        self.assertEqual(whole[0x10000:0x10000 + 1004], IROM + b"\0\0\0")
        with open(self.full.init, "rb") as f:
            init = f.read()
        self.assertEqual(whole[0x3FC000:0x3FC000 + len(init)], init)
        blank = b"\xff" * 0x1000
        self.assertEqual(whole[0x3FB000:0x3FC000], blank)  # blank sector before the init data
        self.assertTrue(all(b == 0xFF for b in whole[0x3FC000 + len(init):]))  # 0x3FD000..end blank too
        self.assertTrue(all(b == 0xFF for b in whole[0x10000 + 1004:0x3FB000]))

    def test_flash_options_go_into_the_header(self):
        r = self.writer(make_elf(FIRMWARE),
                        ["--flash-mode", "qio", "--flash-freq", "80m", "--flash-size", "1MB"])
        self.assertEqual(r.proc.returncode, 0, r.proc.stderr)
        img = parse_boot_image(r.read("0x00000.bin"))
        self.assertEqual((img["mode"], img["size_freq"]), (0, 0x2F))


class ImageWriterRejectsBadInputWithOneClearLine(WriterTest):
    def assert_fails(self, run, *words):
        self.assertEqual(run.proc.returncode, 2, run.proc.stdout)
        self.assertEqual(run.proc.stderr.count("\n"), 1, run.proc.stderr)
        for w in words:
            self.assertIn(w, run.proc.stderr)
        self.assertFalse(os.path.exists(run.out), "nothing written on error")

    def test_missing_elf(self):
        self.assert_fails(self.writer(elf_path="/nonexistent/fw.elf"), "cannot read the firmware ELF",
                          "build it first")

    def test_not_an_elf(self):
        self.assert_fails(self.writer(b"#!/bin/sh\necho not an elf\n" * 4), "not an ELF")

    def test_wrong_machine(self):
        self.assert_fails(self.writer(make_elf(FIRMWARE, machine=62)), "not an Xtensa ELF")

    def test_truncated_elf(self):
        self.assert_fails(self.writer(make_elf(FIRMWARE)[:200]), "truncated")

    def test_missing_irom_section(self):
        self.assert_fails(self.writer(make_elf([s for s in FIRMWARE if s[0] != ".irom0.text"])), ".irom0.text",
                          "found 0")

    def test_irom_at_the_wrong_address(self):
        moved = [s if s[0] != ".irom0.text" else s[:3] + (0x40220000, s[4]) for s in FIRMWARE]
        self.assert_fails(self.writer(make_elf(moved)), "0x40220000", "0x40210000")

    def test_section_outside_ram(self):
        bad = FIRMWARE + [(".odd", PROGBITS, ALLOC, 0x20000000, b"abcd")]
        self.assert_fails(self.writer(make_elf(bad)), ".odd", "neither in IRAM nor in DRAM")

    def test_missing_init_data(self):
        self.assert_fails(self.writer(make_elf(FIRMWARE), ["--init-data", "/nonexistent/init.bin"]),
                          "cannot read the init data", "esp_init_data_default_v08.bin")


if __name__ == "__main__":
    WRITER = sys.argv.pop(1)
    unittest.main(verbosity=2)
