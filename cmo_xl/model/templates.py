"""Bundled specs: the top-level templates/ folder, packaged as cmo_xl/templates."""

from __future__ import annotations

from pathlib import Path

from cmo_xl.errors import SpecError
from cmo_xl.model.load import load_spec
from cmo_xl.model.spec.schema import Spec

DEFAULT_TEMPLATE = "cmo_services"


def template_dir() -> Path:
    """Where the bundled specs are: inside the installed package, or the source checkout's."""
    package = Path(__file__).resolve().parent.parent  # cmo_xl/
    packaged = package / "templates"
    if packaged.is_dir():
        return packaged
    return package.parent / "templates"  # editable install / checkout


def template_names() -> list[str]:
    return sorted(p.stem for p in template_dir().glob("*.yaml"))


def template_path(name: str) -> Path:
    path = template_dir() / f"{name}.yaml"
    if not path.is_file():
        raise SpecError([f"template: got {name!r}; bundled templates are {template_names()}"])
    return path


def load_template(name: str = DEFAULT_TEMPLATE) -> Spec:
    return load_spec(template_path(name))
