"""The arithmetic behind "Notes on the report" (README.md, examples/trial/README.md): the identities between
the report's published figures (checks independent of the rebuilt forms), LA5's what-if with the webinar's
panel cost, and what was tried to derive Table 21's "average cost of an SR" columns.

Every figure is typed from the report (August 2021: Tables 12, 19, 20 and 21 and the "Economic
evaluation" text) or from the webinar of 18 March 2021 (slide "Findings - costs of Schwartz Rounds").
Nothing here reads the example's forms: these are the figures the notes quote, worked out from the
published ones."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sr_cost.money import to_penny

# Table 20, panel / SR / steering / total, and Table 12's rounds held; Table 19's indirect training cost
# (None: LA9 is not in Table 19). Every LA of Table 19 paid the £5,000 PoCF fee.
TABLE_20 = {
    "LA1": ("166.12", "741.61", "238.23", "1145.96"),
    "LA3": ("238.12", "728.05", "539.35", "1505.52"),
    "LA4": ("266.71", "1454.73", "349.74", "2071.18"),
    "LA5": ("1102.64", "1102.64", "506.32", "2711.60"),
    "LA6": ("202.86", "805.89", "982.86", "1991.61"),
    "LA7": ("156.78", "183.80", "0", "340.58"),
    "LA8": ("199.89", "185.39", "0", "385.28"),
    "LA9": ("193.65", "94.59", "0", "288.24"),
    "LA12": ("546.05", "156.69", "0", "702.74"),
}
ROUNDS = {"LA1": 6, "LA3": 6, "LA4": 6, "LA5": 6, "LA6": 11, "LA7": 3, "LA8": 7, "LA9": 4, "LA12": 3}
INDIRECT = {
    "LA1": "848.74",
    "LA3": "951.92",
    "LA4": "1505.14",
    "LA5": "1119.90",
    "LA6": "1399.62",
    "LA7": "238.27",
    "LA8": "568.25",
    "LA9": None,
    "LA12": "204.75",
}
# Table 3: staff randomised to the intervention group
INTERVENTION_STAFF = {
    "LA1": 20,
    "LA3": 358,
    "LA4": 301,
    "LA5": 35,
    "LA6": 352,
    "LA7": 210,
    "LA8": 388,
    "LA9": 153,
    "LA12": 122,
}
FEE = Decimal(5000)
PHASE_1 = ("LA1", "LA3", "LA4", "LA5", "LA6")
PHASE_2 = ("LA7", "LA8", "LA9", "LA12")
# Table 21's "average cost of an SR": phase -> (in person, virtual, overall); None is the table's n/a
TABLE_21_SR = {
    "1": ("2330.16", None, "2330.16"),
    "2": ("2266.72", "493.99", "646.04"),
    "combined": ("2298.44", "493.99", "1488.10"),
}
# Table 21's staff sickness costs: phase -> (intervention, control, estimated cost saving)
TABLE_21_SICKNESS = {
    "1": ("1862.84", "2129.55", "266.71"),
    "2": ("1247.40", "1331.78", "84.38"),
    "combined": ("1555.12", "1730.67", "175.55"),
}


def d(text: str | None) -> Decimal:
    return Decimal(text or 0)


def total(la: str) -> Decimal:
    return d(TABLE_20[la][3])


def setup(la: str) -> Decimal:
    return d(INDIRECT[la]) + (FEE if INDIRECT[la] else 0)


def mean(values) -> Decimal:
    values = list(values)
    return sum(values, Decimal(0)) / len(values)


# ------------------------------------------------------------------ identities between published figures


def test_table_20_totals_are_their_components():
    """Each LA's total is panel + SR + steering; so LA12's is 546.05 + 156.69 = 702.74, where the text's
    virtual range ends at "£702.21"."""
    for la, parts in TABLE_20.items():
        assert sum(map(d, parts[:3])) == total(la), la
    assert total("LA12") != Decimal("702.21")


def test_the_text_means_and_annual_costs():
    """Phase 1: 9,425.87 / 5 = 1,885.174 → 1,885.17; 12 × 1,885.17 = 22,622.04 (12 × the exact mean would
    be 22,622.09). Phase 2: 1,716.84 / 4 = 429.21; 12 × = 5,150.52. Overall: 11,142.71 / 9 = 1,238.079 →
    1,238.08, the unweighted mean of the nine LAs. Per person (footnote 4): 22,622.04 / 2 / 502 = 22.53 and
    5,150.52 / 2 / 133 = 19.36."""
    p1, p2 = mean(map(total, PHASE_1)), mean(map(total, PHASE_2))
    assert (to_penny(p1), to_penny(p2), to_penny(mean(map(total, TABLE_20)))) == (
        Decimal("1885.17"),
        Decimal("429.21"),
        Decimal("1238.08"),
    )
    assert 12 * to_penny(p1) == Decimal("22622.04") and to_penny(12 * p1) == Decimal("22622.09")
    assert 12 * to_penny(p2) == Decimal("5150.52")
    assert to_penny(Decimal("22622.04") / 2 / 502) == Decimal("22.53")
    assert to_penny(Decimal("5150.52") / 2 / 133) == Decimal("19.36")


def test_table_19_mean_and_range():
    """(5,848.74 + 5,951.92 + 6,505.14 + 6,119.90 + 6,399.62 + 5,238.27 + 5,568.25 + 5,204.75) / 8 = 46,836.59 / 8
    = 5,854.57; range 5,204.75 to 6,505.14."""
    totals = [setup(la) for la in INDIRECT if INDIRECT[la]]
    assert (to_penny(mean(totals)), min(totals), max(totals)) == (
        Decimal("5854.57"),
        Decimal("5204.75"),
        Decimal("6505.14"),
    )


def test_table_21_combined_row_is_the_mean_of_the_phases():
    """The one derivation of Table 21 found: its "combined" row is the unweighted mean of the phase rows.
    In person (2,330.16 + 2,266.72) / 2 = 2,298.44; overall (2,330.16 + 646.04) / 2 = 1,488.10; virtual
    493.99 (phase 2 only). Sickness: (1,862.84 + 1,247.40) / 2 = 1,555.12; (2,129.55 + 1,331.78) / 2 =
    1,730.665 → 1,730.67; (266.71 + 84.38) / 2 = 175.545 → 175.55. Each saving = control − intervention."""
    one, two, combined = (TABLE_21_SR[k] for k in ("1", "2", "combined"))
    assert to_penny((d(one[0]) + d(two[0])) / 2) == d(combined[0])
    assert d(two[1]) == d(combined[1])
    assert to_penny((d(one[2]) + d(two[2])) / 2) == d(combined[2])
    for column in range(3):
        values = [d(TABLE_21_SICKNESS[p][column]) for p in ("1", "2")]
        assert to_penny(mean(values)) == d(TABLE_21_SICKNESS["combined"][column])
    for phase in ("1", "2"):
        intervention, control, saving = map(d, TABLE_21_SICKNESS[phase])
        assert control - intervention == saving


def test_webinar_totals_and_twenty_pounds_per_person():
    """The slide's totals are the sums of its components (whole pounds), and its £20 per person is the
    report's footnote-4 method: 8,386 / 5 = 1,677.20; × 12 × 6/12 ÷ 502 = 20.05."""
    slide = {
        "LA1": (166, 742, 238, 1146),
        "LA3": (253, 678, 515, 1446),
        "LA4": (267, 1446, 350, 2063),
        "LA5": (289, 1000, 461, 1750),
        "LA6": (203, 795, 983, 1981),
    }
    assert all(sum(v[:3]) == v[3] for v in slide.values())
    per_person = Decimal(sum(v[3] for v in slide.values())) / 5 * 12 / 2 / 502
    assert to_penny(per_person) == Decimal("20.05")


# ------------------------------------------------------------------ LA5: what if its panel cost were the webinar's


def test_la5_what_if_with_the_webinars_panel():
    """Table 20 gives LA5's panel as 1,102.64, the same as its SR; the webinar's interim table gives £289.
    With 289: LA5's total 289 + 1,102.64 + 506.32 = 1,897.96; phase 1 (9,425.87 − 2,711.60 + 1,897.96) / 5 =
    8,612.23 / 5 = 1,722.446 → 1,722.45 (range 1,145.96 to 2,071.18, LA4 at the top); overall
    (8,612.23 + 1,716.84) / 9 = 1,147.67; a year 12 × 1,722.45 = 20,669.40 (12 × the exact mean 20,669.35);
    per person 20,669.40 / 2 / 502 = 20.59."""
    totals = {la: total(la) for la in TABLE_20}
    totals["LA5"] = Decimal(289) + d(TABLE_20["LA5"][1]) + d(TABLE_20["LA5"][2])
    phase_1 = [totals[la] for la in PHASE_1]
    assert totals["LA5"] == Decimal("1897.96")
    assert to_penny(mean(phase_1)) == Decimal("1722.45")
    assert (min(phase_1), max(phase_1)) == (Decimal("1145.96"), Decimal("2071.18"))
    assert to_penny(mean(totals.values())) == Decimal("1147.67")
    assert 12 * to_penny(mean(phase_1)) == Decimal("20669.40")
    assert to_penny(12 * mean(phase_1)) == Decimal("20669.35")
    assert to_penny(12 * to_penny(mean(phase_1)) / 2 / 502) == Decimal("20.59")


# ------------------------------------------------------------------ Table 21's "average cost of an SR"

# What was tried for phase 1 (Table 21: 2,330.16) and phase 2 (Table 21: 646.04 overall, 493.99 virtual),
# each on Table 20's LA totals; the notes list these figures.
ATTEMPTS = {
    "mean over LAs (the text)": (lambda la: total(la), "la", "1885.17", "429.21"),
    "mean over rounds (pooled)": (lambda la: total(la), "rounds", "1900.38", "410.58"),
    "mean over LAs weighted by Table 3's intervention staff": (lambda la: total(la), "staff", "1858.61", "401.88"),
    "set-up (fee + staff time) spread over the LA's rounds": (
        lambda la: total(la) + setup(la) / ROUNDS[la],
        "la",
        "2815.72",
        "1498.33",
    ),
    "set-up staff time spread over the LA's rounds": (
        lambda la: total(la) + d(INDIRECT[la]) / ROUNDS[la],
        "la",
        "2058.14",
        "486.42",
    ),
    "set-up spread over a year's 12 rounds": (lambda la: total(la) + setup(la) / 12, "la", "2398.93", "762.78"),
    "set-up spread over 24 rounds (two years' mentoring)": (
        lambda la: total(la) + setup(la) / 24,
        "la",
        "2142.05",
        "595.99",
    ),
    "LA5's panel at the webinar's £289": (
        lambda la: total(la) - (d(TABLE_20["LA5"][0]) - 289 if la == "LA5" else 0),
        "la",
        "1722.45",
        "429.21",
    ),
}


@pytest.mark.parametrize("name", ATTEMPTS)
def test_table_21_attempts_give_the_listed_figures_and_none_fits(name):
    figure, weight, want_1, want_2 = ATTEMPTS[name]
    got = []
    for las in (PHASE_1, PHASE_2):
        weights = {la: {"la": 1, "rounds": ROUNDS[la], "staff": INTERVENTION_STAFF[la]}[weight] for la in las}
        got.append(to_penny(sum(figure(la) * weights[la] for la in las) / sum(weights.values())))
    assert got == [Decimal(want_1), Decimal(want_2)]
    assert got[0] != d(TABLE_21_SR["1"][2])
    assert got[1] not in (d(TABLE_21_SR["2"][1]), d(TABLE_21_SR["2"][2]))


def test_table_21_phase_2_in_person_cannot_come_from_table_20():
    """LAs 7, 8 and 9 each held one in-person round. Even if every pound of their rounds (rounds × mean
    per round) and their training's staff time were on that one round, the mean would be
    (3 × 340.58 + 238.27 + 7 × 385.28 + 568.25 + 4 × 288.24) / 3 = 5,678.18 / 3 = 1,892.73, below Table
    21's 2,266.72. Only with the £5,000 fees put on those rounds could it be reached."""
    las = ("LA7", "LA8", "LA9")
    bound = mean(ROUNDS[la] * total(la) + d(INDIRECT[la]) for la in las)
    assert to_penny(bound) == Decimal("1892.73") < d(TABLE_21_SR["2"][0])
    assert max(total(la) for la in las) < d(TABLE_21_SR["2"][0])
    with_fees = mean(ROUNDS[la] * total(la) + setup(la) for la in las)
    assert with_fees > d(TABLE_21_SR["2"][0])


def test_table_21_phase_2_overall_is_no_count_weighting_of_its_modes():
    """646.04 = w × 2,266.72 + (1 − w) × 493.99 needs w = 152.05 / 1,772.73 = 0.0858; the in-person share
    of phase 2's rounds is 3/17 (0.176, which gives 806.82) and of its LA-modes 3/7. Allowing for the
    rounding of the three figures, w lies in [0.085766, 0.085777], and no fraction p/q with q up to 100
    does."""
    ip, vr, overall = (d(x) for x in TABLE_21_SR["2"])
    assert to_penny((3 * ip + 14 * vr) / 17) == Decimal("806.82")
    low = (overall - vr - Decimal("0.01")) / (ip - vr + Decimal("0.01"))
    high = (overall - vr + Decimal("0.01")) / (ip - vr - Decimal("0.01"))
    assert not [(p, q) for q in range(1, 101) for p in range(q + 1) if low <= Decimal(p) / q <= high]
