"""The package surface: exports, docstrings, typing marker, lazy Hypothesis, the CLI entry."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
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


DEPRECATED_NAMES = [
    ("randcheck", "replace", "randcheck.replace_member"),
    ("randcheck.dispatch", "replace", "randcheck.dispatch.replace_member"),
    ("randcheck.dispatch", "ALGORITHM_VERSION", "randcheck.dispatch.DISPATCH_ALGORITHM_VERSION"),
    ("randcheck.dispatch", "DispatchVerification", "randcheck.verification.Verification"),
    ("randcheck.dispatch", "format_fraction", "randcheck.dispatch.summary.format_fraction"),
    ("randcheck.dispatch", "mask_inspector_key", "randcheck.privacy.mask_inspector_key"),
    ("randcheck.dispatch", "outside_range", "randcheck.dispatch.engine.outside_range"),
    ("randcheck.dispatch", "team_size", "randcheck.dispatch.engine.team_size"),
    (
        "randcheck.dispatch.record",
        "ALGORITHM_VERSION",
        "randcheck.dispatch.record.DISPATCH_ALGORITHM_VERSION",
    ),
    ("randcheck.dispatch.record", "DispatchVerification", "randcheck.verification.Verification"),
    ("randcheck.ledger", "Team", "randcheck.ledger.TeamEntry"),
    ("randcheck.sampling", "ALGORITHM_VERSION", "randcheck.sampling.DRAW_ALGORITHM_VERSION"),
    ("randcheck.sampling", "Outcome", "randcheck.sampling.DrawOutcome"),
    ("randcheck.sampling", "VerificationResult", "randcheck.sampling.DrawVerification"),
    *(
        ("randcheck.sampling", name, f"randcheck.sampling.algorithm.{name}")
        for name in importlib.import_module("randcheck.sampling.algorithm").__all__
    ),
]


def _resolve(dotted: str) -> object:
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize(("module", "old", "new"), DEPRECATED_NAMES)
def test_a_deprecated_name_warns_and_is_its_replacement(module: str, old: str, new: str) -> None:
    home = importlib.import_module(module)
    assert old not in getattr(home, "__all__", ())
    with pytest.warns(DeprecationWarning, match=re.escape(new)):
        value = getattr(home, old)
    assert value is _resolve(new)


def test_a_deprecated_name_also_imports_with_from() -> None:
    with pytest.warns(DeprecationWarning, match="DrawOutcome"):
        from randcheck.sampling import Outcome
    assert Outcome.DRAWN.value == "drawn"


def test_a_missing_name_is_still_an_attribute_error() -> None:
    sampling = importlib.import_module("randcheck.sampling")
    with pytest.raises(AttributeError, match="no_such_name"):
        assert sampling.no_such_name is None


def test_the_two_outcomes_and_the_two_teams_have_distinct_names() -> None:
    from randcheck import dispatch, ledger, sampling, validators

    assert sampling.DrawOutcome is not validators.Outcome
    assert "Outcome" not in sampling.__all__
    assert ledger.TeamEntry is not dispatch.Team
    assert "Team" not in ledger.__all__
    assert isinstance(sampling.DRAW_ALGORITHM_VERSION, int)
    assert isinstance(dispatch.DISPATCH_ALGORITHM_VERSION, str)


def test_sampling_exports_no_algorithm_internals() -> None:
    from randcheck import sampling
    from randcheck.sampling import algorithm

    assert not set(sampling.__all__) & set(algorithm.__all__)
    assert {"build_frame", "commit", "draw", "verify", "explain", "Frame", "Seed"} <= set(
        sampling.__all__
    )
