"""Every ```python block in README.md and docs/*.md runs, so the examples cannot rot.

The blocks of one file run in order in one namespace (a page reads as one session), in a
temporary working directory.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def _blocks(page: Path) -> list[str]:
    return _BLOCK.findall(page.read_text(encoding="utf-8"))


def test_the_docs_have_examples() -> None:
    assert sum(len(_blocks(page)) for page in PAGES) >= 3


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for number, block in enumerate(_blocks(page), start=1):
        code = compile(block, f"{page.relative_to(ROOT)}#block{number}", "exec")
        exec(code, namespace)
    assert os.getcwd() == str(tmp_path)
