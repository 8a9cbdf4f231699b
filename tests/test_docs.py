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


_PIP_INSTALL = re.compile(r"pip install\s+(?:-e\s+)?(['\"]?)([^\s'\"`]+)\1")


def _extras() -> set[str]:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return set(project["optional-dependencies"])


def test_every_install_command_installs_from_the_source_tree_with_extras_that_exist() -> None:
    # randcheck is not on PyPI: "pip install randcheck[...]" finds no distribution.
    extras = _extras()
    found = []
    for page in PAGES:
        for match in _PIP_INSTALL.finditer(page.read_text(encoding="utf-8")):
            target = match.group(2)
            found.append(target)
            assert target == "." or target.startswith(".["), (page.name, match.group(0))
            named = target[2:-1].split(",") if target.startswith(".[") else []
            assert set(named) <= extras, (page.name, match.group(0))
    assert len(found) >= 8
