#!/usr/bin/env python3
"""Checks one app's real firmware build (board/esp8266) from the outside: the images against the linked ELF,
parsed with this directory's parser (independent of the writer), and the size report against the budgets.

usage: check_firmware.py APP_BUILD_DIR APP
"""
import json
import os
import struct
import sys
import unittest

from test_elf2image import parse_boot_image

FLASH_4MB = 4 * 1024 * 1024
# Apps that talk TLS (a Blynk session with tls = true, an https:// webhook): their firmware links the chip's TLS
# client (board/esp8266/mbedtls) with what the issue asks of it.
TLS_APPS = {"blynk_gpio", "dash_button"}
TLS_CLIENT = ("mbedtls_ssl_handshake_client_step", "mbedtls_ssl_conf_max_frag_len", "mbedtls_ecdh_calc_secret",
              "mbedtls_ecdsa_verify", "mbedtls_gcm_auth_decrypt", "mbedtls_x509_crt_verify_with_profile",
              "mbedtls_hardware_poll")
IROM_BASE = 0x40200000


def elf_symbols(path):
    """The names in an ELF32 little-endian file's .symtab."""
    data = read(path)
    shoff = struct.unpack_from("<I", data, 32)[0]
    shentsize, shnum = struct.unpack_from("<HH", data, 46)
    heads = [struct.unpack_from("<IIIIIIIIII", data, shoff + i * shentsize) for i in range(shnum)]
    names = set()
    for _, kind, _, _, off, size, link, _, _, entsize in heads:
        if kind != 2:  # SHT_SYMTAB
            continue
        strtab = heads[link][4]
        for at in range(off, off + size, entsize):
            name_at = struct.unpack_from("<I", data, at)[0]
            if name_at:
                names.add(data[strtab + name_at:data.index(b"\0", strtab + name_at)].decode())
    return names


def read(path):
    with open(path, "rb") as f:
        return f.read()


def elf_sections(path):
    """{name: (addr, bytes)} of an ELF32 little-endian file's allocated PROGBITS sections, and the entry."""
    data = read(path)
    if data[:4] != b"\x7fELF" or data[4] != 1 or data[5] != 1:
        raise ValueError(f"{path}: not a 32-bit little-endian ELF")
    entry, shoff = struct.unpack_from("<I", data, 24)[0], struct.unpack_from("<I", data, 32)[0]
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 46)
    heads = [struct.unpack_from("<IIIIIIIIII", data, shoff + i * shentsize) for i in range(shnum)]
    names_off = heads[shstrndx][4]
    out = {}
    for name_at, kind, flags, addr, off, size, *_ in heads:
        name = data[names_off + name_at:data.index(b"\0", names_off + name_at)].decode()
        if kind == 1 and flags & 2 and size:  # PROGBITS, ALLOC
            out[name] = (addr, data[off:off + size])
    return out, entry


class FirmwareOfOneApp(unittest.TestCase):
    DIR = APP = None

    def path(self, name):
        return os.path.join(self.DIR, name)

    def setUp(self):
        self.sections, self.entry = elf_sections(self.path(f"{self.APP}.elf"))
        self.boot = read(self.path("0x00000.bin"))
        self.irom = read(self.path("0x10000.bin"))

    def test_boot_image_starts_at_the_elf_entry_with_a_valid_checksum(self):
        img = parse_boot_image(self.boot)
        self.assertEqual(img["magic"], 0xE9)
        self.assertEqual(img["entry"], self.entry)
        self.assertEqual(img["size_freq"] >> 4, 0x4, "the header says 4 MB, as user_pre_init's partition map")
        check = 0xEF
        for _, seg in img["segments"]:
            for b in seg:
                check ^= b
        self.assertEqual(img["checksum"], check)
        self.assertEqual(img["end"], len(self.boot))

    def test_boot_image_carries_every_ram_section_at_its_address(self):
        img = parse_boot_image(self.boot)
        segments = {addr: data for addr, data in img["segments"]}
        for name in (".data", ".text"):
            addr, data = self.sections[name]
            self.assertIn(addr, segments, f"{name} at {addr:#x}")
            self.assertEqual(segments[addr][:len(data)], data, name)
        for addr, data in img["segments"]:
            in_dram = 0x3FFE8000 <= addr and addr + len(data) <= 0x3FFFC000
            in_iram = 0x40100000 <= addr and addr + len(data) <= 0x40108000
            self.assertTrue(in_dram or in_iram, f"segment at {addr:#x} (+{len(data)}) is outside DRAM and IRAM")

    def test_flash_code_is_written_raw_for_its_flash_offset(self):
        addr, data = self.sections[".irom0.text"]
        self.assertEqual(addr - IROM_BASE, 0x10000)
        self.assertEqual(self.irom[:len(data)], data)
        self.assertEqual(len(self.irom), (len(data) + 3) // 4 * 4, "padded to a word")
        self.assertEqual(set(self.irom[len(data):]) | {0}, {0})

    def test_whole_flash_image_holds_both_parts_and_the_init_data(self):
        full = read(self.path("flash_4MB.bin"))
        self.assertEqual(len(full), FLASH_4MB)
        self.assertEqual(full[:len(self.boot)], self.boot)
        self.assertEqual(full[0x10000:0x10000 + len(self.irom)], self.irom)
        self.assertEqual(full[0x3FC000], 0x05, "esp_init_data_default starts with 0x05")
        self.assertEqual(set(full[0x3FD000:]), {0xFF}, "the system parameter sectors are blank")

    def test_size_report_is_within_the_chip_budgets(self):
        r = json.loads(read(self.path(f"{self.APP}-sizes.json")))
        self.assertEqual(r["app"], self.APP)
        self.assertLessEqual(r["iram"], 32 * 1024)
        self.assertLessEqual(r["dram"], 80 * 1024)
        self.assertGreaterEqual(r["heap_with_wifi_tcp"], 24 * 1024)
        self.assertEqual(r["iram"], len(self.sections[".text"][1]) + len(self.sections.get(".lit4", (0, b""))[1]))

    def test_an_app_that_talks_tls_links_the_chip_tls_client_and_no_server(self):
        names = elf_symbols(self.path(f"{self.APP}.elf"))
        r = json.loads(read(self.path(f"{self.APP}-sizes.json")))
        if self.APP not in TLS_APPS:
            self.assertNotIn("mbedtls_ssl_handshake", names)
            self.assertEqual(r["tls_flash"], 0)
            return
        for symbol in TLS_CLIENT:
            self.assertIn(symbol, names, f"{self.APP}: the chip's TLS client lacks {symbol}")
        self.assertTrue(any(n.startswith("_ZN4weft3net9TlsStream9handshake") for n in names))
        self.assertNotIn("mbedtls_ssl_handshake_server_step", names, "firmware is a TLS client only")
        self.assertGreater(r["tls_flash"], 0)


if __name__ == "__main__":
    FirmwareOfOneApp.DIR, FirmwareOfOneApp.APP = sys.argv[1], sys.argv[2]
    del sys.argv[1:3]
    unittest.main(verbosity=2)
