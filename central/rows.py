"""Database rows to contract models, one way for the whole service.

A row's columns are named like the contract's fields on purpose, so a model is built
from every field the row holds, by name; a caller passes only what the row does not
hold or holds differently (a joined list, an actor split over two columns). The model
validates as any incoming body does, so a row that no longer fits the contract is one
clear error, not a wrong answer.
"""

from __future__ import annotations

from typing import Any, TypeVar

from contract.wire import WireModel

M = TypeVar("M", bound=WireModel)


def to_model(model: type[M], row: Any, **values: Any) -> M:
    columns = row._mapping
    fields = {name: columns[name] for name in model.model_fields if name in columns}
    return model.model_validate({**fields, **values})
