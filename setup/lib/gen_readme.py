# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Write each addon's README.rst from its readme/*.md fragments, as OCA's
oca-gen-addon-readme does (without its network and pandoc needs).

    python setup/lib/gen_readme.py REPO_ROOT [--check] ADDON...

The fragments are Markdown that is also nearly reStructuredText; only inline code
(`x` -> ``x``) and '#' headings need converting. With --check nothing is written and
the exit status is 1 when a README.rst is out of date.
"""

import ast
import re
import sys
from pathlib import Path

SECTIONS = [
    ("DESCRIPTION.md", "Description"),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("CONTRIBUTORS.md", "Contributors"),
]
NOTE = """This file is generated from the fragments in ``readme/`` (DESCRIPTION, CONFIGURE,
USAGE, CONTRIBUTORS), as OCA's ``oca-gen-addon-readme`` does; edit those instead
(``./setup/readme`` regenerates it). See the repository's README.md for installation and
the user guide."""
_INLINE_CODE = re.compile(r"(?<![`\w])`([^`\n]+)`(?![`\w])")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_UNDERLINES = {1: "-", 2: "-", 3: "~", 4: "~", 5: "^", 6: "^"}


def to_rst(markdown):
    lines = []
    for line in markdown.rstrip().splitlines():
        heading = _HEADING.match(line)
        if heading:
            title = heading.group(2).strip()
            lines.extend([title, _UNDERLINES[len(heading.group(1))] * len(title)])
            continue
        lines.append(_INLINE_CODE.sub(r"``\1``", line))
    return "\n".join(lines)


def render(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text(encoding="utf-8"))
    title = manifest["name"]
    parts = ["=" * len(title), title, "=" * len(title), "", manifest.get("summary", ""), ""]
    parts += [NOTE, ""]
    for fragment, heading in SECTIONS:
        path = addon / "readme" / fragment
        if not path.exists():
            continue
        parts += [heading, "=" * len(heading), "", to_rst(path.read_text(encoding="utf-8")), ""]
    return "\n".join(parts).rstrip() + "\n"


def main(argv):
    root, args = Path(argv[0]), argv[1:]
    check = "--check" in args
    stale = []
    for name in [a for a in args if a != "--check"]:
        addon = root / name
        text = render(addon)
        target = addon / "README.rst"
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        stale.append(name)
        if not check:
            target.write_text(text, encoding="utf-8")
            print(f"    wrote {target.relative_to(root)}")
    if check and stale:
        print(f"README.rst out of date in: {', '.join(stale)} (run ./setup/readme)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
