"""The parameters TOML of a unit-cost table, validated by pydantic: ``[source]`` (what the table is
and its price year), ``[parameters]`` (the derivation's, each with its unit and allowed range),
``[citations.<parameter>]`` (where each parameter's value comes from) and ``[[pay_awards]]`` (how a
table's salaries were brought forward from an earlier price year). Handed on as the core's plain
``Params``, ``Source`` and ``PayAward``. The README's "The parameters file" documents every field.
"""

from __future__ import annotations

import tomllib
from dataclasses import fields
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, field_validator, model_validator

from sr_cost.core.pay_awards import PayAward
from sr_cost.core.unit_costs import Params, Source
from sr_cost.errors import DataError, Problem
from sr_cost.inputs.files import InputBytes, read_input

_SOURCE = Source()

# the range each parameter may take; what it is and its unit are ``Params``' own docs
LIMITS = {
    "employer_ni_rate": {"ge": 0, "le": 1},
    "ni_secondary_threshold_per_week_gbp": {"ge": 0, "le": 10_000},
    "ni_secondary_threshold_per_year_gbp": {"ge": 0, "le": 520_000},
    "days_per_year": {"ge": 1, "le": 366},
    "superannuation_rate": {"ge": 0, "le": 1},
    "direct_overheads_rate": {"ge": 0, "le": 10},
    "indirect_overheads_rate": {"ge": 0, "le": 10},
    "capital_overheads_gbp": {"ge": 0, "le": 1_000_000},
    "working_hours_per_year": {"ge": 1, "le": 8_784},
}
FIX = "Compare it with unit_costs/pssru_2019.toml (the README's 'The parameters file' lists every field)"


class _Exact(BaseModel):
    """Numbers read exactly: a TOML float becomes the Decimal of its shortest text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _exact(cls, value: object) -> object:
        if isinstance(value, float):
            return Decimal(repr(value))
        return value


class _ParamsBase(_Exact):
    def to_core(self) -> Params:
        return Params(**{f.name: getattr(self, f.name) for f in fields(Params)})


# ``[parameters]`` of the TOML file: the fields of the core's ``Params``, each with its range
ParamsModel = create_model(
    "ParamsModel",
    __base__=_ParamsBase,
    **{
        f.name: (
            Decimal | None if f.default is None else Decimal,
            Field(f.default, description=f.metadata["doc"], **LIMITS[f.name]),
        )
        for f in fields(Params)
    },
)


class SourceModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = _SOURCE.name
    method: str = _SOURCE.method
    price_year: int = Field(_SOURCE.price_year, ge=1900, le=2200)
    salaries: str = ""  # where the table's salaries come from, when brought forward from another table

    def to_core(self) -> Source:
        return Source(name=self.name, method=self.method, price_year=self.price_year)


class Citation(BaseModel):
    """Where a figure comes from: who published it, its title, its date (and where to read it)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    publisher: str = Field(min_length=1)
    title: str = Field(min_length=1)
    date: str = Field(min_length=4)  # as published: 2025-04-24, or April 2021
    url: str = ""
    note: str = ""

    def line(self) -> str:
        return f"{self.publisher}, '{self.title}', {self.date}" + (f" ({self.url})" if self.url else "")


class PayAwardModel(_Exact):
    """One ``[[pay_awards]]`` entry: the core's ``PayAward`` and its sources."""

    year: str
    percent: Decimal | None = Field(None, gt=-100)
    flat_gbp: Decimal | None = Field(None, ge=0)
    flat_up_to_gbp: Decimal | None = Field(None, gt=0)
    top_point: str = ""
    percent_above: Decimal | None = Field(None, gt=-100)
    sources: list[Citation] = Field(min_length=1)
    note: str = ""

    @model_validator(mode="after")
    def _one_rule(self) -> PayAwardModel:
        if (self.percent is None) == (self.flat_gbp is None):
            raise ValueError("give percent, or flat_gbp (with flat_up_to_gbp and percent_above when it has a top)")
        if (self.flat_up_to_gbp is None) != (self.percent_above is None):
            raise ValueError("flat_up_to_gbp and percent_above go together")
        return self

    def to_core(self) -> PayAward:
        return PayAward(
            year=self.year,
            percent=self.percent,
            flat_gbp=self.flat_gbp,
            flat_up_to_gbp=self.flat_up_to_gbp,
            top_point=self.top_point,
            percent_above=self.percent_above,
        )


class ParamsFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source: SourceModel = SourceModel()
    parameters: ParamsModel = ParamsModel()
    citations: dict[str, Citation] = {}
    pay_awards: list[PayAwardModel] = []

    @model_validator(mode="after")
    def _cited_parameters(self) -> ParamsFile:
        unknown = [k for k in self.citations if k not in ParamsModel.model_fields]
        if unknown:
            raise ValueError(f"citations name no parameter: {', '.join(unknown)}")
        return self

    def awards(self) -> tuple[PayAward, ...]:
        return tuple(a.to_core() for a in self.pay_awards)


def load_params(path: Path, display: str | None = None, given: InputBytes | None = None) -> ParamsFile:
    """Read and validate a parameters TOML; every problem at once, naming ``display`` (the path as
    the user gave it, or the bundled file's place in the repository). ``given``: its bytes, when
    already read (so that the SHA-256 recorded is that of the bytes read)."""
    display = display or str(path)
    given = given or read_input(path, display, fix="Check the path of the parameters file")
    try:
        data = tomllib.loads(given.data.decode("utf-8"), parse_float=Decimal)
    except UnicodeDecodeError:
        raise DataError(
            Problem(file=display, message="is not UTF-8 text", fix="Save it as UTF-8 (TOML files are UTF-8)")
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(Problem(file=display, message=f"is not valid TOML: {exc}", fix=FIX)) from None
    try:
        return ParamsFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            problems.append(
                Problem(
                    file=display,
                    column=loc,
                    value=str(err.get("input", ""))[:80],
                    message=err["msg"],
                    fix=FIX,
                )
            )
        raise DataError(problems) from None
