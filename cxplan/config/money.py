"""Money in parameter files: which values are money, and converting the defaults' currency.

Every money default in ``params/defaults.yaml`` is in one currency (``fx.defaults_currency``,
USD for the shipped file). A region in another currency must state the rate
(``fx.rates: {USD: 0.79}`` = 0.79 units of the region's currency per USD); every money value the
region takes from the defaults is then converted with it before validation, so no USD figure is
ever read as GBP. A region value always wins and is taken as given, in the region's currency.

Money fields carry the :data:`MONEY` marker in their type (``Annotated[..., MONEY]``, defined with
the domain configuration base in :mod:`cxplan._schema`), so the schema itself says what is money;
:func:`convert_defaults` walks the raw defaults mapping with the schema.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from cxplan._schema import MONEY
from cxplan.config.messages import _models_in
from cxplan.config.yamlfile import Locator
from cxplan.errors import ParamsError

__all__ = ["MONEY", "convert_defaults", "convert_layers", "is_money"]


def _marked(annotation: Any) -> bool:
    if typing.get_origin(annotation) is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        return any(m is MONEY for m in meta) or _marked(base)
    if typing.get_origin(annotation) is not None or isinstance(annotation, types.UnionType):
        return any(_marked(a) for a in typing.get_args(annotation))
    return False


def is_money(model: type[BaseModel], field: str) -> bool:
    """Whether ``model.field`` holds money (directly, in a list, a range or a tier table).

    Examples
    --------
    >>> from cxplan.config.params import LocationParams, WorkforceParams
    >>> is_money(LocationParams, "wage_per_hour"), is_money(WorkforceParams, "shrinkage")
    (True, False)
    """
    info = model.model_fields.get(field)
    if info is None:
        return False
    return any(m is MONEY for m in info.metadata) or _marked(info.annotation)


def _scale(value: Any, rate: float) -> Any:
    """Scale a raw money value: a number, a list, a low/mode/high range or a tier table."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value * rate
    if isinstance(value, list):
        return [_scale(v, rate) for v in value]
    if isinstance(value, Mapping):
        out = dict(value)
        if "prices" in out:  # tiers: the prices are money, band starts are volumes
            out["prices"] = _scale(out["prices"], rate)
        for key in ("low", "mode", "high"):
            if key in out:
                out[key] = _scale(out[key], rate)
        return out
    return value


def convert_defaults(model: type[BaseModel], data: Any, rate: float) -> Any:
    """Return raw parameter data with every money value multiplied by ``rate``.

    Parameters
    ----------
    model : type of pydantic.BaseModel
        The schema of ``data`` (e.g. :class:`~cxplan.config.params.RegionParams`).
    data : mapping
        Raw YAML data (not validated); unknown keys are left alone (validation reports them).
    rate : float
        Units of the target currency per unit of the data's currency.

    Returns
    -------
    Any
        A converted copy; ``data`` is not modified.

    Examples
    --------
    >>> from cxplan.config.params import RegionParams
    >>> out = convert_defaults(RegionParams, {"location": {"wage_per_hour": 20.0,
    ...                                                    "benefits_load": 0.3}}, 0.5)
    >>> out["location"]
    {'wage_per_hour': 10.0, 'benefits_load': 0.3}
    """
    if not isinstance(data, Mapping):
        return data
    out: dict[Any, Any] = {}
    for key, value in data.items():
        if not isinstance(key, str) or key not in model.model_fields:
            out[key] = value
        elif is_money(model, key):
            out[key] = _scale(value, rate)
        else:
            out[key] = _convert_nested(model.model_fields[key].annotation, value, rate)
    return out


def _convert_nested(annotation: Any, value: Any, rate: float) -> Any:
    candidates = _models_in(annotation)
    if not candidates:
        return value
    if isinstance(value, list):
        return [_convert_nested(annotation, item, rate) for item in value]
    if isinstance(value, Mapping):
        # a union of models (vendor components): the one whose fields cover the keys
        keys = {k for k in value if isinstance(k, str)}
        fitting = [m for m in candidates if keys <= set(m.model_fields)] or candidates[:1]
        kind = value.get("kind")
        if kind is not None:
            tagged = [m for m in fitting if _kind_of(m) == kind]
            fitting = tagged or fitting
        return convert_defaults(fitting[0], value, rate)
    return value


def _kind_of(model: type[BaseModel]) -> Any:
    info = model.model_fields.get("kind")
    if info is None:
        return None
    args = typing.get_args(info.annotation)
    return args[0] if args else None


def _section(data: Mapping[Any, Any], key: str) -> Mapping[Any, Any]:
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


def convert_layers(
    model: type[BaseModel], layers: list[tuple[dict[Any, Any], Locator]]
) -> list[tuple[dict[Any, Any], Locator]]:
    """Convert the defaults' money into the region's currency (see :mod:`cxplan.config.money`).

    The defaults file states its currency (``fx.defaults_currency``); a region in another
    currency must give ``fx.rates.<defaults currency>``, else the region cannot be read (a USD
    wage silently read as GBP would be a wrong number, not an error).
    """
    if len(layers) < 2:
        return layers
    (base_data, base_locator), (top_data, top_locator) = layers[0], layers[-1]
    base_currency = _section(base_data, "fx").get("defaults_currency", "USD")
    currency = _section(top_data, "region").get(
        "currency", _section(base_data, "region").get("currency", "USD")
    )
    if not isinstance(currency, str) or not isinstance(base_currency, str):
        return layers  # validation reports the bad type
    if currency == base_currency:
        return layers
    top_rates = _section(_section(top_data, "fx"), "rates")
    rates = {**_section(_section(base_data, "fx"), "rates"), **top_rates}
    rate = rates.get(base_currency)
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not rate > 0:
        if base_currency in top_rates:  # written but not filled in (cxplan init writes null)
            file, line = top_locator.locate(("fx", "rates", base_currency))
            found = "null" if rate is None else repr(rate)
            raise ParamsError(
                [
                    f"{file}:{line}: fx.rates.{base_currency}: must be a number > 0, how many "
                    f"{currency} one {base_currency} buys (region.currency {currency} differs "
                    f"from the defaults' currency {base_currency}; got {found})"
                ]
            )
        where = (
            ("region", "currency") if "currency" in _section(top_data, "region") else ("region",)
        )
        file, line = top_locator.locate(where)
        raise ParamsError(
            [
                f"{file}:{line}: region.currency: {currency} differs from the defaults' currency "
                f"{base_currency}, so every money default would be read in the wrong currency: "
                f"give fx.rates.{base_currency} (how many {currency} one {base_currency} buys)"
            ]
        )
    return [(convert_defaults(model, base_data, float(rate)), base_locator), *layers[1:]]
