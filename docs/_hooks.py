"""mkdocs hook: the home page is the README, so the two never drift apart.

The README is written for the repository root, where a picture is
``docs/app-1-programme.png``; on the site the home page sits beside the pictures. The hook
reads the README in place of ``index.md`` and gives its ``docs/`` pictures the site's paths,
before mkdocs checks the page's links.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

README = Path(__file__).resolve().parents[1] / "README.md"
_DOCS_IMAGE = re.compile(r"\]\(docs/([^)\s]+\.(?:png|svg|jpg))\)")


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if page.file.src_uri != "index.md":
        return markdown
    return _DOCS_IMAGE.sub(r"](\1)", README.read_text(encoding="utf-8"))
