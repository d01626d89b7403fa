"""Write unit_costs/pssru_2025.csv: the 48 roles of unit_costs/pssru_2019.csv (Appendix 1 of the
trial report) with each salary brought forward by the NJC pay awards of unit_costs/pssru_2025.toml,
and on-costs, overheads and the hourly unit cost derived with its parameters.

    python unit_costs/build_2025.py

A test (tests/test_unit_costs_2025.py) checks that the bundled table is what this writes.
"""

from __future__ import annotations

from pathlib import Path

from sr_cost.core.pay_awards import bring_table_forward
from sr_cost.inputs.unit_cost_params import load_params
from sr_cost.inputs.unit_costs import load_table
from sr_cost.outputs.json_csv import unit_costs_csv

HERE = Path(__file__).resolve().parent


def table_2025_csv() -> str:
    """The text of unit_costs/pssru_2025.csv."""
    params = load_params(HERE / "pssru_2025.toml")
    roles = bring_table_forward(load_table("2019").roles, params.awards(), params.parameters.to_core())
    return unit_costs_csv(roles)


if __name__ == "__main__":
    (HERE / "pssru_2025.csv").write_text(table_2025_csv(), encoding="utf-8", newline="")
    print(f"Wrote {HERE / 'pssru_2025.csv'}")
