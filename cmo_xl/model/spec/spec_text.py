"""A spec written out as YAML: what the Spec sheet records and ``cmo-xl read`` writes.

Fields left at their defaults are left out, so the text reads like a spec a person wrote; read
back through :func:`cmo_xl.model.load.parse_spec` it gives the same spec.
"""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError

from cmo_xl.model.spec.schema import Spec

#: Where the dumper folds long text; every line stays far below a cell's 32,767 characters.
WIDTH = 100


def spec_yaml(spec: Spec) -> str:
    data = spec.model_dump(mode="json", exclude_defaults=True)
    text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=WIDTH)
    return text


def data_yaml(data: dict[str, Any]) -> str:
    """Spec data that may break the spec's rules, as YAML to fix by hand: through the schema
    where it passes (so defaults are left out), as it stands where it does not."""
    try:
        return spec_yaml(Spec.model_validate(data))
    except ValidationError:
        text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=WIDTH)
        return text
