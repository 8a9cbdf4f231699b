"""The package's layout: the core never depends on the demo's sample data."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "randcheck"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_core_module_imports_the_demo() -> None:
    """Only the demo itself and the command line's `demo` subcommand may import it."""
    allowed = {SRC / "cli" / "_demo.py"}
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if "demo" in path.relative_to(SRC).parts[:1] or path in allowed:
            continue
        if any(
            name == "randcheck.demo" or name.startswith("randcheck.demo.")
            for name in _imports(path)
        ):
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []


def test_the_check_sees_an_import_of_the_demo(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from randcheck.demo import synthetic\n", encoding="utf-8")
    assert "randcheck.demo.synthetic" in _imports(module)
