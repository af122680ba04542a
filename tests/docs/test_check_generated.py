#!/usr/bin/env python3
"""Tests of check_generated.py on small repositories in a temporary directory."""
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import check_generated  # noqa: E402


class CheckGenerated(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.root = Path(self.dir.name)
        (self.root / "bench").mkdir()
        (self.root / "bench" / "figures.md").write_text("| a | 1 |\n")

    def tearDown(self):
        self.dir.cleanup()

    def readme(self, text):
        (self.root / "README.md").write_text(text)

    def test_a_block_equal_to_its_file_passes(self):
        self.readme("x\n<!-- generated: bench/figures.md -->\n| a | 1 |\n<!-- /generated -->\ny\n")
        self.assertEqual(check_generated.check(self.root, "README.md"), [])

    def test_a_readme_without_blocks_passes(self):
        self.readme("no figures\n")
        self.assertEqual(check_generated.main(["x", str(self.root)]), 0)

    def test_an_edited_figure_fails_with_a_diff(self):
        self.readme("<!-- generated: bench/figures.md -->\n| a | 2 |\n<!-- /generated -->\n")
        failures = check_generated.check(self.root, "README.md")
        self.assertEqual(len(failures), 1)
        self.assertIn("-| a | 1 |", failures[0])
        self.assertIn("+| a | 2 |", failures[0])
        self.assertIn("README.md:1", failures[0])

    def test_update_copies_every_file_into_its_block_and_keeps_the_rest(self):
        (self.root / "bench" / "two.md").write_text("| b | 2 |\n| b | 3 |\n")
        self.readme("x\n<!-- generated: bench/figures.md -->\nold\nold\n<!-- /generated -->\ny\n"
                    "<!-- generated: bench/two.md -->\n<!-- /generated -->\nz\n")
        self.assertEqual(check_generated.main(["x", "--update", str(self.root)]), 0)
        self.assertEqual((self.root / "README.md").read_text(),
                         "x\n<!-- generated: bench/figures.md -->\n| a | 1 |\n<!-- /generated -->\ny\n"
                         "<!-- generated: bench/two.md -->\n| b | 2 |\n| b | 3 |\n<!-- /generated -->\nz\n")
        self.assertEqual(check_generated.check(self.root, "README.md"), [])

    def test_a_missing_file_fails_naming_it(self):
        self.readme("<!-- generated: bench/none.md -->\n<!-- /generated -->\n")
        failures = check_generated.check(self.root, "README.md")
        self.assertEqual(len(failures), 1)
        self.assertIn("bench/none.md does not exist", failures[0])

    def test_an_unclosed_block_is_a_malformed_file(self):
        self.readme("<!-- generated: bench/figures.md -->\n| a | 1 |\n")
        self.assertEqual(check_generated.main(["x", str(self.root)]), 2)

    def test_a_stray_close_is_a_malformed_file(self):
        self.readme("<!-- /generated -->\n")
        self.assertEqual(check_generated.main(["x", str(self.root)]), 2)

    def test_a_misspelled_marker_is_a_malformed_file(self):
        self.readme("<!-- generated:bench/figures.md -->\n<!-- /generated -->\n")
        self.assertEqual(check_generated.main(["x", str(self.root)]), 2)

    def test_every_mismatching_block_is_reported(self):
        self.readme("<!-- generated: bench/figures.md -->\nA\n<!-- /generated -->\n"
                    "<!-- generated: bench/figures.md -->\nB\n<!-- /generated -->\n")
        self.assertEqual(len(check_generated.check(self.root, "README.md")), 2)
        self.assertEqual(check_generated.main(["x", str(self.root)]), 1)


if __name__ == "__main__":
    unittest.main()
