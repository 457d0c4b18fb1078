"""Sphinx configuration of the aiomongodel documentation.

Build with ``sphinx-build -W --keep-going -b html docs docs/_build/html`` in an
environment where the four aiomongodel distributions are installed (``hatch run
docs:build`` sets one up). The build needs no network access.
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

import aiomongodel

DOCS_DIR = Path(__file__).resolve().parent

# -- Project -----------------------------------------------------------------------

project = "aiomongodel"
author = "aiomongodel contributors"
copyright = "aiomongodel contributors"
release = aiomongodel.__version__
version = ".".join(release.split(".")[:2])

# -- General -----------------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
nitpicky = False

# -- autodoc and napoleon ----------------------------------------------------------

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_class_signature = "mixed"
autodoc_preserve_defaults = True
autodoc_default_options = {"show-inheritance": True}

napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_include_init_with_doc = False
napoleon_use_rtype = False


def _public_bases(app: Any, name: str, obj: Any, options: Any, bases: list[Any]) -> None:
    """Show only public classes after "Bases:".

    ``Generic[T]`` is dropped, and a private helper base is replaced by its nearest public
    ancestor: ``IntField`` derives from ``_NumberField[int]`` and is shown as a ``Field``.
    """
    shown: list[Any] = []
    for base in bases:
        cls = typing.get_origin(base) or base
        if cls is typing.Generic:
            continue
        if isinstance(cls, type) and cls.__name__.startswith("_"):
            while cls.__name__.startswith("_"):
                cls = cls.__bases__[0]
            base = cls
        if base not in shown:
            shown.append(base)
    bases[:] = shown or [object]


def _summary_is_not_a_type(
    app: Any, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    """Keep napoleon from reading ``Summary: example.`` as a type and a description.

    Napoleon reads the first line of a property's or attribute's docstring as
    ``type: description``. Here types come from annotations and docstrings are plain
    sentences, some with a colon; an empty type before a leading colon makes napoleon
    keep the sentence whole.
    """
    if what in {"property", "data", "attribute"} and lines and lines[0].strip():
        lines[0] = ": " + lines[0]


#: Modules documented in the API reference, where short names are looked up.
API_MODULES = (
    "aiomongodel.document",
    "aiomongodel.fields",
    "aiomongodel.queryset",
    "aiomongodel.errors",
    "aiomongodel.utils",
)


def _resolve_short_names(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    """Link ``aiomongodel.Document`` or a bare ``ValidationError`` to its documentation.

    The top-level package re-exports names documented under their own modules, and
    docstrings of one module name classes of another without the module.
    """
    if node.get("refdomain") != "py":
        return None
    name = node["reftarget"].removeprefix("aiomongodel.")
    domain = env.get_domain("py")
    for module in API_MODULES:
        target = f"{module}.{name}"
        if domain.find_obj(env, "", "", target, None, 0):
            return domain.resolve_xref(
                env, node["refdoc"], app.builder, node["reftype"], target, node, contnode
            )
    return None


# -- MyST (Markdown pages, the changelog) ------------------------------------------

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- HTML --------------------------------------------------------------------------

html_theme = "alabaster"
html_title = f"aiomongodel {release}"
html_theme_options = {
    "description": "An asynchronous ODM for MongoDB",
    "fixed_sidebar": True,
}
html_static_path: list[str] = []


def setup(app: Any) -> dict[str, Any]:
    app.connect("autodoc-process-bases", _public_bases)
    app.connect("missing-reference", _resolve_short_names)
    # Before napoleon (priority 500) rewrites the docstring.
    app.connect("autodoc-process-docstring", _summary_is_not_a_type, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
