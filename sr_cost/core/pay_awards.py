"""Pay awards: bringing a salary forward from one price year to a later one, award by award.

The NJC (Green Book) pay awards for local government services each follow their own rule: a
percentage on every pay point, or a flat sum on the spine points up to the top point the award
names and a percentage above it. A salary of a unit-cost table is not a spine point, so the rule is
applied by its amount: a salary at or below the top point's salary (as it stood before the award)
takes the flat sum, a salary above it the percentage (``PayAward.apply``). An award whose flat sum
names no top point (2022/23: "£1,925 on all NJC pay points 1 and above") adds it to every salary.

Pure, exact Decimal arithmetic: nothing is rounded until the last award (``bring_forward`` rounds
the result half-up to the penny, as a salary is written).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sr_cost.core.unit_costs import Params, UnitCost, derive
from sr_cost.money import to_penny


@dataclass(frozen=True)
class PayAward:
    """One year's award. ``percent`` alone: every salary x (1 + percent/100). ``flat_gbp``: added to
    a salary at or below ``flat_up_to_gbp`` (every salary when None); a salary above it x (1 +
    ``percent_above``/100)."""

    year: str  # the pay year, e.g. "2022/23" (from 1 April)
    percent: Decimal | None = None  # [%] on every pay point
    flat_gbp: Decimal | None = None  # [£/year] added to the pay points up to the top one
    flat_up_to_gbp: Decimal | None = None  # [£/year] the top point's salary before the award; None: no top
    top_point: str = ""  # the top point the award names, e.g. "SCP 43"
    percent_above: Decimal | None = None  # [%] above the top point

    def __post_init__(self) -> None:
        if (self.percent is None) == (self.flat_gbp is None):
            raise AssertionError(f"pay award {self.year}: a percentage or a flat sum, one of the two")
        if (self.flat_up_to_gbp is None) != (self.percent_above is None):
            raise AssertionError(f"pay award {self.year}: a top point needs the percentage above it, and back")

    def apply(self, salary: Decimal) -> tuple[Decimal, str]:
        """The salary after this award, exact, and the rule that applied, in words."""
        if self.percent is not None:
            return salary * (1 + self.percent / 100), f"+{self.percent.normalize():f}%"
        if self.flat_up_to_gbp is None or salary <= self.flat_up_to_gbp:
            top = "" if self.flat_up_to_gbp is None else f" (at or below {self.top_point}, £{self.flat_up_to_gbp:,})"
            return salary + self.flat_gbp, f"+£{self.flat_gbp:,}{top}"
        return (
            salary * (1 + self.percent_above / 100),
            f"+{self.percent_above.normalize():f}% (above {self.top_point}, £{self.flat_up_to_gbp:,})",
        )


@dataclass(frozen=True)
class Step:
    """A salary before and after one award."""

    award: PayAward
    before: Decimal
    after: Decimal
    rule: str


def steps(salary: Decimal, awards: tuple[PayAward, ...]) -> list[Step]:
    """Every award in turn, exact."""
    out = []
    for award in awards:
        after, rule = award.apply(salary)
        out.append(Step(award, salary, after, rule))
        salary = after
    return out


def bring_forward(salary: Decimal, awards: tuple[PayAward, ...]) -> Decimal:
    """``salary`` after every award in turn, rounded half-up to the penny at the end."""
    found = steps(salary, awards)
    return to_penny(found[-1].after if found else salary)


def bring_table_forward(
    roles: tuple[UnitCost, ...], awards: tuple[PayAward, ...], params: Params
) -> tuple[UnitCost, ...]:
    """A table's roles with each salary brought forward by ``awards`` and on-costs, overheads and the
    hourly unit cost derived from it with ``params`` (on-costs and overheads to the penny, as a
    published table gives them). Roles without a salary cannot be brought forward and are left out."""
    out = []
    for role in roles:
        if role.salary is None:
            continue
        salary = bring_forward(role.salary, awards)
        d = derive(salary, params)
        out.append(
            UnitCost(
                role=role.role,
                salary=salary,
                on_costs=to_penny(d.on_costs),
                overheads=to_penny(d.overheads),
                unit_cost_hour=d.unit_cost_hour,
            )
        )
    return tuple(out)
