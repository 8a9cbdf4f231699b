"""The texts of the publications: Jinja2 templates held with the profile, overridable.

Where a template is looked up, first match wins:

1. the directory given as ``templates`` (``--templates DIR`` on the command line): a bureau's
   own wording, without code;
2. ``randcheck/profiles/data/templates/<profile name>/``: the profile's texts;
3. ``randcheck/profiles/data/templates/default/``: the default set.

A publication's text is ``<kind>.<lang>.j2`` (``draw.zh.j2``) and defines two blocks,
``title`` and ``body`` (paragraphs separated by blank lines); the HTML page is
``page.html.j2``, rendered with autoescaping. Undefined names are errors, so a misspelt name
in an override is reported rather than printed as nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import jinja2

from randcheck.errors import RandcheckError
from randcheck.publication._document import Language
from randcheck.text import Text

__all__ = ["TEMPLATE_ROOT", "TemplateProblem", "Templates"]

TEMPLATE_ROOT: Final = Path(__file__).resolve().parent.parent / "profiles" / "data" / "templates"
"""Where the shipped templates are: one directory per profile name, and ``default``."""


class TemplateProblem(RandcheckError, ValueError):
    """A template is missing, does not parse, lacks a block, or uses an undefined name."""


def _autoescape(name: str | None) -> bool:
    return name is not None and name.endswith(".html.j2")


class Templates:
    """The template set for ``profile`` (a profile name), with an optional override directory.

    Raises:
        TemplateProblem: ``override`` is given but is not a directory.
    """

    def __init__(self, profile: str, override: str | os.PathLike[str] | None = None) -> None:
        search: list[str] = []
        if override is not None:
            path = Path(override)
            if not path.is_dir():
                raise TemplateProblem(
                    Text(
                        zh=f"模板目录 {path} 不存在或不是目录",
                        en=f"template directory {path} does not exist or is not a directory",
                    ),
                    field="--templates",
                    expected="a directory of .j2 templates",
                    got=str(path),
                )
            search.append(os.fspath(path))
        own = TEMPLATE_ROOT / profile
        if own.is_dir():
            search.append(os.fspath(own))
        search.append(os.fspath(TEMPLATE_ROOT / "default"))
        self.search: tuple[str, ...] = tuple(search)
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(search),
            autoescape=_autoescape,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
        )

    def _get(self, name: str) -> jinja2.Template:
        try:
            return self._env.get_template(name)
        except jinja2.TemplateNotFound:
            raise TemplateProblem(
                Text(
                    zh=f"找不到模板 {name}（查找目录：{'、'.join(self.search)}）",
                    en=f"template {name} not found (looked in: {', '.join(self.search)})",
                ),
                field="template",
                expected=name,
                got=None,
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            raise _problem(name, exc) from None

    def text(self, kind: str, lang: Language, context: Mapping[str, Any]) -> tuple[str, str]:
        """``(title, body)`` of publication ``kind`` in ``lang``, rendered with ``context``.

        Raises:
            TemplateProblem: the template is missing, broken, lacks a ``title`` or ``body``
                block, or uses a name ``context`` does not define.
        """
        name = f"{kind}.{lang}.j2"
        template = self._get(name)
        parts = []
        for block in ("title", "body"):
            render = template.blocks.get(block)
            if render is None:
                raise TemplateProblem(
                    Text(
                        zh=f"模板 {name} 缺少 {{% block {block} %}}",
                        en=f"template {name} has no {{% block {block} %}}",
                    ),
                    field="template",
                    expected=f"a block {block}",
                    got=name,
                )
            try:
                parts.append("".join(render(template.new_context(dict(context)))).strip())
            except jinja2.TemplateError as exc:
                raise _problem(name, exc) from None
        return parts[0], parts[1]

    def snippet(self, name: str, lang: Language, context: Mapping[str, Any]) -> str:
        """A short text, the whole of ``<name>.<lang>.j2`` rendered and stripped (the issuing
        authority ``authority``, the objection channel ``objection``).

        Raises:
            TemplateProblem: as :meth:`text`.
        """
        full = f"{name}.{lang}.j2"
        template = self._get(full)
        try:
            return template.render(dict(context)).strip()
        except jinja2.TemplateError as exc:
            raise _problem(full, exc) from None

    def page(self, context: Mapping[str, Any]) -> str:
        """The HTML page (``page.html.j2``, autoescaped) rendered with ``context``.

        Raises:
            TemplateProblem: as :meth:`text`.
        """
        template = self._get("page.html.j2")
        try:
            return template.render(dict(context))
        except jinja2.TemplateError as exc:
            raise _problem("page.html.j2", exc) from None


def _problem(name: str, exc: jinja2.TemplateError) -> TemplateProblem:
    line = getattr(exc, "lineno", None)
    where = f"{name}:{line}" if line else name
    return TemplateProblem(
        Text(zh=f"模板 {where} 出错：{exc.message}", en=f"template {where}: {exc.message}"),
        field="template",
        expected="a valid Jinja2 template",
        got=where,
    )
