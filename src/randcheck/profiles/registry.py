"""The profile registry: shipped profiles, third-party ones, and files given by path.

Shipped profiles are TOML files inside the package (``randcheck/profiles/data``). A third
party registers its own either in code (:func:`register_profile`) or through the entry-point
group ``randcheck.profiles``, whose entries load to a :class:`~randcheck.profiles.Profile` or to
the path of a profile file; they are read the first time a name is looked up. Anywhere a profile
name is accepted, a path to a ``.toml`` file is accepted too (``--profile path/to/x.toml``).
"""

from __future__ import annotations

import difflib
import os
from importlib import metadata, resources
from pathlib import Path
from typing import Final

from randcheck.errors import UnknownProfile, ValidationError
from randcheck.profiles.loading import load_profile, read_profile
from randcheck.profiles.schema import Profile

__all__ = [
    "ENTRY_POINT_GROUP",
    "get_profile",
    "profile_names",
    "register_profile",
    "shipped_profile",
]

ENTRY_POINT_GROUP: Final = "randcheck.profiles"
"""The entry-point group through which installed packages add profiles."""

SHIPPED: Final = ("cn-tj-hrss", "cn-samr-joint")
"""The profiles shipped as data files inside the package."""

_REGISTRY: dict[str, Profile] = {}
_entry_points_loaded = False


def shipped_profile(name: str) -> Profile:
    """The shipped profile ``name``, read from its data file inside the package.

    Raises:
        InputFileError: the data file does not fit the schema (a packaging error).
    """
    folder = resources.files("randcheck.profiles") / "data"
    text = (folder / f"{name}.toml").read_text(encoding="utf-8")
    with resources.as_file(folder) as base:
        return read_profile(text, source=f"randcheck/profiles/data/{name}.toml", base=Path(base))


def register_profile(profile: Profile, *, replace: bool = False) -> None:
    """Add ``profile`` to the registry under its name.

    Raises:
        ValidationError: a profile of that name exists and ``replace`` is false.
    """
    if profile.name in _REGISTRY and not replace:
        raise ValidationError(field="name", expected="a name not yet registered", got=profile.name)
    _REGISTRY[profile.name] = profile


def _load_entry_points() -> None:
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
        loaded = entry.load()
        profile = loaded if isinstance(loaded, Profile) else load_profile(Path(str(loaded)))
        _REGISTRY.setdefault(profile.name, profile)


def profile_names() -> tuple[str, ...]:
    """The registered profile names (shipped, registered in code, and from entry points),
    sorted."""
    _load_entry_points()
    return tuple(sorted(_REGISTRY))


def _looks_like_path(name: str) -> bool:
    return name.endswith(".toml") or "/" in name or "\\" in name


def _from_file(path: str) -> Profile:
    profile = load_profile(path)
    registered = _REGISTRY.get(profile.name)
    if registered is not None and registered != profile:
        raise ValidationError(
            f"政策配置文件 {path} 使用了已注册的名称 {profile.name!r}，但内容不同；请另起名称 / "
            f"the profile file {path} uses the registered name {profile.name!r} for other rules; "
            "give it a name of its own",
            field="name",
            expected="a name no registered profile uses, or the registered profile unchanged",
            got=profile.name,
        )
    return profile


def get_profile(name: str | os.PathLike[str]) -> Profile:
    """The registered profile called ``name``, or the profile in the file ``name`` (a path
    ending in ``.toml``).

    Raises:
        UnknownProfile: no such profile; ``suggestions`` lists close names.
        InputFileError: ``name`` is a path and the file does not fit the schema.
        ValidationError: ``name`` is neither a string nor a path, or the file reuses the name
            of a registered profile for other rules.
    """
    if isinstance(name, os.PathLike):
        return _from_file(os.fspath(name))
    if not isinstance(name, str):
        raise ValidationError(
            field="profile", expected="a profile name or the path of a profile file", got=name
        )
    if _looks_like_path(name):
        return _from_file(name)
    if name not in _REGISTRY:
        _load_entry_points()
    try:
        return _REGISTRY[name]
    except KeyError:
        suggestions = difflib.get_close_matches(name, list(_REGISTRY), n=3, cutoff=0.75)
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        raise UnknownProfile(
            f"未知的政策配置 / unknown profile {name!r}{hint} "
            f"(registered: {', '.join(profile_names())}); a record made under a profile file "
            "needs that file again: --profile PATH.toml",
            field="profile",
            expected="a registered profile name or the path of a profile file",
            got=name,
            suggestions=suggestions,
        ) from None
