#!/usr/bin/env python3
"""Check that every generated block of a Markdown file equals the committed file it names.

A block is
    <!-- generated: PATH -->
    ...exactly the content of PATH (relative to the repository root)...
    <!-- /generated -->
The bench that measures the figures writes PATH; this check keeps the README from drifting from it.

Usage: check_generated.py [--update] REPO_ROOT [MARKDOWN...]   (default: README.md)
Exit status 0 when every block matches, 1 with a unified diff per mismatch, 2 on a malformed file.
--update copies each named file's content into its block instead (after a bench wrote new figures).
"""
import difflib
import re
import sys
from pathlib import Path

OPEN = re.compile(r"^<!-- generated: (\S+) -->$")
CLOSE = "<!-- /generated -->"


def blocks(lines, source):
    """Yields (line number of the opening marker, path, body lines); raises ValueError on bad nesting."""
    current = None
    for number, line in enumerate(lines, 1):
        opening = OPEN.match(line.rstrip("\n"))
        if opening:
            if current:
                raise ValueError(f"{source}:{number}: a generated block opens inside the block opened at line "
                                 f"{current[0]}; close it first with '{CLOSE}'")
            current = (number, opening.group(1), [])
        elif line.rstrip("\n") == CLOSE:
            if not current:
                raise ValueError(f"{source}:{number}: '{CLOSE}' without an opening '<!-- generated: PATH -->'")
            yield current
            current = None
        elif line.lstrip().startswith("<!-- generated"):
            raise ValueError(f"{source}:{number}: malformed marker {line.strip()!r}; "
                             f"write '<!-- generated: PATH -->' on a line of its own")
        elif current:
            current[2].append(line)
    if current:
        raise ValueError(f"{source}:{current[0]}: the generated block for {current[1]} is never closed; "
                         f"add '{CLOSE}' after its content")


def check(root, markdown):
    failures = []
    text = (root / markdown).read_text(encoding="utf-8")
    for number, path, body in blocks(text.splitlines(keepends=True), markdown):
        target = root / path
        where = f"{markdown}:{number}"
        if not target.is_file():
            failures.append(f"{where}: {path} does not exist; run the bench that writes it and commit the file")
            continue
        expected = target.read_text(encoding="utf-8").splitlines(keepends=True)
        if expected and not expected[-1].endswith("\n"):
            expected[-1] += "\n"
        if body != expected:
            diff = "".join(difflib.unified_diff(expected, body, fromfile=path, tofile=f"{where} (README block)"))
            failures.append(f"{where}: the block differs from {path}; copy the file's content between the markers"
                            f" (the file is what the bench wrote):\n{diff}")
    return failures


def update(root, markdown):
    lines = (root / markdown).read_text(encoding="utf-8").splitlines(keepends=True)
    spans = [(number, path, len(body)) for number, path, body in blocks(lines, markdown)]
    for number, path, length in reversed(spans):  # from the end: earlier line numbers stay valid
        content = (root / path).read_text(encoding="utf-8")
        if content and not content.endswith("\n"):
            content += "\n"
        lines[number:number + length] = content.splitlines(keepends=True)
    (root / markdown).write_text("".join(lines), encoding="utf-8")
    return []


def main(argv):
    fix = "--update" in argv[1:]
    argv = [a for a in argv if a != "--update"]
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = Path(argv[1])
    failures = []
    for markdown in argv[2:] or ["README.md"]:
        try:
            failures += update(root, markdown) if fix else check(root, markdown)
        except ValueError as error:
            print(error, file=sys.stderr)
            return 2
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
