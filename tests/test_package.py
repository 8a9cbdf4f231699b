"""The package surface: exports, docstrings, typing marker, lazy Hypothesis, the CLI entry."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import randcheck


def test_all_is_sorted_and_every_name_exists() -> None:
    assert list(randcheck.__all__) == sorted(randcheck.__all__)
    for name in randcheck.__all__:
        assert hasattr(randcheck, name), name


def test_submodule_names_stay_modules() -> None:
    # The top level must not shadow a submodule with a function of the same name.
    for info in pkgutil.iter_modules(randcheck.__path__):
        if not info.name.startswith("_"):
            attribute = getattr(randcheck, info.name, None)
            assert attribute is None or inspect.ismodule(attribute), info.name


def _public_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(randcheck.__path__, prefix="randcheck."):
        if not any(part.startswith("_") for part in info.name.split(".")[1:]):
            names.append(info.name)
    return names


@pytest.mark.parametrize("name", _public_modules())
def test_public_api_has_docstrings(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__doc__, name
    for attribute in getattr(module, "__all__", ()):
        value = getattr(module, attribute)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"{name}.{attribute}"


def test_typed_marker_is_shipped() -> None:
    assert (Path(randcheck.__file__).parent / "py.typed").is_file()


def test_importing_randcheck_does_not_import_hypothesis() -> None:
    code = "import sys, randcheck; print('hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_python_dash_m_runs_the_command_line() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "randcheck", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0
    assert out.stdout.strip() == f"randcheck {randcheck.__version__}"


def test_no_command_prints_help_and_exits_2() -> None:
    out = subprocess.run([sys.executable, "-m", "randcheck"], capture_output=True, text=True)
    assert out.returncode == 2
    assert "usage: randcheck" in out.stdout


def test_unknown_option_is_a_one_line_usage_error() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "randcheck", "--bogus"], capture_output=True, text=True
    )
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0
    assert "--bogus" in out.stderr
