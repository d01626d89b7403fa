#!/usr/bin/env python3
"""Rebuild the bundled trial example's economic forms.

The 2021 report on the Schwartz Rounds (SR) trial in children's services
publishes only aggregates of the economic forms its local authorities (LAs)
completed: the rounds held per LA (Table 12), the cost of the initial training
(Table 19) and the mean cost per round of each component (Table 20).  This
script writes four forms that agree with all of them:

    training.csv   set-up: the Point of Care Foundation (PoCF) fee and the
                   staff time and mileage to attend its training
    rounds.csv     one block of lines per round held (audience, panel,
                   facilitators, administrator, catering, room hire, travel)
    panel.csv      panel preparation
    steering.csv   steering group meetings (phase 1 only)

Every file has the columns la,phase,round,mode,item,role,rate,staff,hours,
miles,cost.  A line costs staff x hours x unit_cost_hour(role) + miles x £0.45
+ cost, with the unit costs of ../../unit_costs/pssru_2019.csv.

The counts (LAs, rounds, modes) and the published figures come from the report.
Everything else (roles, hours, attendance, catering, mileage, dates) is made
up to be plausible.  A few quantities per component are solved for, so that the
component's mean per round lands on its published value (see README.md).

After writing the files the script reads them back, recomputes every published
figure with the costing method alone (Decimal, rounded half-up to the penny only
for comparison) and asserts each one.  Standard library only; the output is the
same on every run.

    python examples/trial/build_forms.py
"""

from __future__ import annotations

import csv
import os
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
UNIT_COSTS_CSV = os.path.join(REPO, "unit_costs", "pssru_2019.csv")

COLUMNS = ["la", "phase", "round", "mode", "item", "role", "rate", "staff", "hours", "miles", "cost"]
FORMS = ("training", "rounds", "panel", "steering")
MILEAGE_RATE = Decimal("0.45")  # [£/mile], as in the report
PENNY = Decimal("0.01")
IP, VR = "in-person", "virtual"

# Quanta of the quantities that are solved for.
QUANTUM = {"hours": Decimal("0.001"), "miles": Decimal("0.1"), "cost": Decimal("0.01")}

# --------------------------------------------------------------------------- roles

ADMIN = "Administration role/business support officer"
AHOS = "Assistant head of service"
AP = "Advanced practitioner"
ATM = "Assistant team manager"
BSC = "Business support coordinator"
CS = "Clinical supervisor"
CSSW = "Contact service/support worker"
CSW = "Consultant social worker"
EHI = "Early help inclusion officer"
EYP = "Early years practitioner"
FGC = "FGC coordinator"
FSW = "Family support worker"
GM = "Group manager"
HOS = "Head of service"
HR = "Senior HR advisor"
IRO = "Child protection coordinator/independent reviewing officer"
KW = "Case/child/family/key worker"
LDO = "Professional practice L & D officer"
LEAD = "Lead"
ODC = "Organisational development consultant"
OPM = "Operations manager"
PA = "Personal advisor"
PC = "Parenting coordinator"
PDM = "Practice development manager"
PM = "Practice manager"
PSW = "Principal social worker"
QAM = "Quality assurance manager"
RW = "Residential worker"
SFT = "Systemic family therapist"
SM = "Service manager"
SNM = "Senior manager"
SP = "Senior practitioner"
SSW = "Senior social worker"
SW = "Social worker"
SWA = "Social work assistant"
TM = "Team manager"
WM = "Workforce manager"
YA = "Youth advocate"

# --------------------------------------------------------------------------- published figures

# Table 12: rounds held.  Table 19: indirect cost of training.  Table 20: mean per round.
PUBLISHED = {
    # la: (phase, in-person rounds, virtual rounds, training indirect or None,
    #      (panel, round, steering or None, total))
    "LA1": (1, 6, 0, "848.74", ("166.12", "741.61", "238.23", "1145.96")),
    "LA3": (1, 6, 0, "951.92", ("238.12", "728.05", "539.35", "1505.52")),
    "LA4": (1, 6, 0, "1505.14", ("266.71", "1454.73", "349.74", "2071.18")),
    "LA5": (1, 6, 0, "1119.90", ("1102.64", "1102.64", "506.32", "2711.60")),
    "LA6": (1, 11, 0, "1399.62", ("202.86", "805.89", "982.86", "1991.61")),
    "LA7": (2, 1, 2, "238.27", ("156.78", "183.80", None, "340.58")),
    "LA8": (2, 1, 6, "568.25", ("199.89", "185.39", None, "385.28")),
    "LA9": (2, 1, 3, None, ("193.65", "94.59", None, "288.24")),
    "LA12": (2, 0, 3, "204.75", ("546.05", "156.69", None, "702.74")),
}
TRAINING_FEE = Decimal("5000.00")
TRAINING_MEAN, TRAINING_MIN, TRAINING_MAX = "5854.57", "5204.75", "6505.14"
PHASE_MEAN = {1: "1885.17", 2: "429.21"}
PHASE_RANGE = {1: ("1145.96", "2711.60"), 2: ("288.24", "702.74")}
OVERALL_MEAN = "1238.08"
ANNUAL = {1: "22622.04", 2: "5150.52"}

# Where each component's exact mean per round is aimed.  The report multiplied the
# *rounded* phase 1 mean by 12 (12 x 1,885.17 = 22,622.04); the exact mean of the
# published LA totals is 1,885.174, and 12 x that is 22,622.088 -> 22,622.09.  So in
# phase 1 each LA's exact mean sits 0.004 below its published total (0.001 panel,
# 0.002 round, 0.001 steering), which still rounds half-up to the published values
# and puts 12 x the exact phase mean at 22,622.04.  Phase 2 is aimed at the
# published values themselves.  A component's solved total lands within WINDOW[1] of
# its aim (phase 1) or in [aim, aim + WINDOW[2]) (phase 2), so its mean is off by at most
# WINDOW / rounds.  Summed over the components that bounds the error of the phase 1 sum
# of LA totals by 0.0018 (< 0.0021 allowed) and of phase 2 by 0.0015 (< 0.00168).
# Training totals land in [published, published + TRAINING_WINDOW).
OFFSET = {1: {"panel": Decimal("0.001"), "round": Decimal("0.002"), "steering": Decimal("0.001")},
          2: {"panel": Decimal(0), "round": Decimal(0), "steering": Decimal(0)}}
WINDOW = {1: Decimal("0.0008"), 2: Decimal("0.0007")}
TRAINING_WINDOW = Decimal("0.001")


# --------------------------------------------------------------------------- design (made up)
#
# Per LA: its rounds (date, mode, site), and for each form the fixed lines plus two
# "adjuster" lines whose hours / miles / cost are solved for.  adj1 takes up the
# bulk of what is left (its value is printed, and kept plausible by the design);
# adj2 is a fine adjuster that stays within [lo, hi].

def rounds_of(mode_dates, site=""):
    return [(d, m, site) for m, d in mode_dates]


DESIGN = {
    "LA1": dict(
        rounds=rounds_of([(IP, "2019-05-21"), (IP, "2019-06-18"), (IP, "2019-07-16"),
                          (IP, "2019-09-17"), (IP, "2019-10-15"), (IP, "2019-11-19")]),
        facilitators={"": [(SP, "1.5"), (PM, "1.5")]},
        panel_cycle=[SW, FSW, TM, KW, SSW, SWA, AP, SW, PA, ATM, FSW, IRO, SW, EHI, CSSW, SSW, TM, FSW],
        n_panel=3,
        admin=(ADMIN, "1"),
        catering=("catering (coffee and biscuits)", ["14.60", "12.85", "15.20", "13.40", "16.75"]),
        extras=[],
        audience=[SW, FSW, SW, KW, SSW, SWA, SW, TM, FSW, PA, SW, KW, ATM, FSW, CSSW, SW, AP, SWA],
        weights=["1.1", "1.0", "0.85", "1.05", "1.0", "0.95"],
        round_adj=(dict(item="administrator", role=ADMIN, field="hours", nominal="1"),
                   dict(item="catering (coffee and biscuits)", field="cost", nominal="14.00",
                        lo="10.00", hi="22.00")),
        panel_prep=dict(meetings=[([[(SP, "1")], [(PM, "1")]], "0.75")],
                        item="panel preparation"),
        panel_fixed=[],
        panel_adj=(dict(item="panel recruitment and briefing", role=SP, field="hours"),
                   dict(item="travel (panel preparation)", field="miles", nominal="30", lo="5", hi="60")),
        steering_meetings=[(0, "1", [HOS, PM, SP, ADMIN]), (1, "1", [HOS, PM, SP, ADMIN]),
                           (3, "1", [HOS, PM, SP, ADMIN]), (4, "1", [PM, SP, ADMIN]),
                           (5, "1", [HOS, PM, SP, ADMIN])],
        steering_fixed=[("steering group set-up meeting", "1.5", [HOS, PM, SP, ADMIN])],
        steering_adj=(dict(item="steering group review meeting", role=LEAD, field="hours"),
                      dict(item="travel (steering group)", field="miles", nominal="20", lo="8", hi="40")),
        training_fixed=[("PoCF facilitator training (2 days)", SP, 1, "15", None, None)],
        training_adj=(dict(item="travel to PoCF training", field="miles"),
                      dict(item="PoCF mentoring call", role=PM, field="hours", nominal="0.75",
                           lo="0.25", hi="2")),
    ),
    "LA3": dict(
        rounds=rounds_of([(IP, "2019-05-29"), (IP, "2019-06-26"), (IP, "2019-07-24"),
                          (IP, "2019-09-25"), (IP, "2019-10-30"), (IP, "2019-11-27")]),
        facilitators={"": [(CSW, "1.5"), (SFT, "1.5")]},
        panel_cycle=[SW, EHI, TM, FSW, SSW, PA, CSSW, SW, ATM, KW, IRO, EYP, SW, FGC, SSW, RW, TM, PC],
        n_panel=3,
        admin=(ADMIN, "1"),
        catering=("catering (sandwich lunch)", ["58.40", "61.20", "49.80", "63.75", "55.10"]),
        extras=[],
        audience=[SW, EHI, FSW, CSSW, KW, SWA, EYP, SW, FSW, PA, RW, SW, EHI, TM, KW, SWA, FSW, SSW],
        weights=["1.0", "1.1", "0.9", "1.05", "0.95", "1.0"],
        round_adj=(dict(item="administrator", role=ADMIN, field="hours", nominal="1"),
                   dict(item="catering (sandwich lunch)", field="cost", nominal="57.00",
                        lo="45.00", hi="70.00")),
        panel_prep=dict(meetings=[([(CSW, "1"), (SFT, "1")], "0.75")],
                        item="panel preparation"),
        panel_fixed=[],
        panel_adj=(dict(item="panel recruitment and briefing", role=SFT, field="hours"),
                   dict(item="travel (panel preparation)", field="miles", nominal="25", lo="10", hi="50")),
        steering_meetings=[(0, "1.5", [AHOS, SM, CSW, SFT, HR, ADMIN]),
                           (1, "1.5", [SM, CSW, SFT, HR, ADMIN]),
                           (2, "1.5", [AHOS, SM, CSW, SFT, ADMIN]),
                           (3, "1.5", [AHOS, SM, CSW, SFT, HR, ADMIN]),
                           (5, "1.5", [AHOS, SM, CSW, SFT, HR, ADMIN])],
        steering_fixed=[("steering group set-up meeting", "2", [AHOS, SM, CSW, SFT, HR, ADMIN])],
        steering_adj=(dict(item="steering group: SR promotion and staff communications", role=SM,
                           field="hours"),
                      dict(item="travel (steering group)", field="miles", nominal="20", lo="8", hi="40")),
        training_fixed=[("PoCF facilitator training (2 days)", SFT, 1, "15", None, None)],
        training_adj=(dict(item="travel to PoCF training", field="miles"),
                      dict(item="PoCF mentoring call", role=CSW, field="hours", nominal="1.5",
                           lo="0.5", hi="2.5")),
    ),
    "LA4": dict(
        rounds=rounds_of([(IP, "2019-06-05"), (IP, "2019-07-03"), (IP, "2019-09-04"),
                          (IP, "2019-10-02"), (IP, "2019-11-06"), (IP, "2019-12-04")]),
        facilitators={"": [(PDM, "1.5"), (AP, "1.5")]},
        panel_cycle=[SW, TM, FSW, IRO, SSW, KW, ATM, SW, CSSW, PA, SW, OPM, FSW, SSW, EHI, TM, SWA, SW],
        n_panel=3,
        admin=(ADMIN, "1.5"),
        catering=("catering (buffet lunch)", ["84.50", "91.20", "78.75", "88.40", "82.60"]),
        extras=[],
        audience=[SW, FSW, KW, CSSW, SWA, SW, FSW, RW, PA, SSW, KW, EHI, SW, CSSW, FSW, TM, SWA, EYP,
                  SW, ATM],
        weights=["1.1", "1.05", "0.9", "1.0", "1.0", "0.95"],
        round_adj=(dict(item="administrator", role=ADMIN, field="hours", nominal="1.5"),
                   dict(item="catering (buffet lunch)", field="cost", nominal="85.00",
                        lo="85.00", hi="115.00")),
        panel_prep=dict(meetings=[([(PDM, "1"), (AP, "1")], "1")],
                        item="panel preparation"),
        panel_fixed=[],
        panel_adj=(dict(item="panel recruitment and briefing", role=AP, field="hours"),
                   dict(item="travel (panel preparation)", field="miles", nominal="30", lo="10", hi="60")),
        steering_meetings=[(0, "1", [HOS, PDM, AP, WM, ADMIN]), (1, "1", [HOS, PDM, AP, WM, ADMIN]),
                           (2, "1", [PDM, AP, WM, ADMIN]), (3, "1", [HOS, PDM, AP, WM, ADMIN]),
                           (4, "1", [HOS, PDM, AP, ADMIN]), (5, "1", [HOS, PDM, AP, WM, ADMIN])],
        steering_fixed=[("steering group set-up meeting", "1.5", [HOS, PDM, AP, WM, ADMIN])],
        steering_adj=(dict(item="steering group: SR lead time", role=HOS, field="hours"),
                      dict(item="travel (steering group)", field="miles", nominal="15", lo="5", hi="40")),
        training_fixed=[("PoCF facilitator training (2 days)", AP, 1, "15", None, None),
                        ("PoCF facilitator training (day 1)", SSW, 1, "7.5", None, None)],
        training_adj=(dict(item="travel to PoCF training", field="miles"),
                      dict(item="PoCF mentoring call", role=PDM, field="hours", nominal="2",
                           lo="1", hi="3")),
    ),
    "LA5": dict(
        rounds=rounds_of([(IP, "2019-06-13"), (IP, "2019-07-11"), (IP, "2019-09-12"),
                          (IP, "2019-10-10"), (IP, "2019-11-14"), (IP, "2020-01-16")]),
        facilitators={"": [(PSW, "1.5"), (CS, "1.5")]},
        panel_cycle=[SW, TM, KW, SSW, FSW, IRO, SW, AP, SWA, ATM, SW, PA, FSW, SSW, TM, EHI, SW, CSSW],
        n_panel=3,
        admin=(ADMIN, "1"),
        catering=("catering (breakfast)", ["32.40", "28.90", "35.10", "30.25", "33.80"]),
        extras=[],
        audience=[SW, FSW, KW, SW, SWA, SSW, FSW, TM, SW, KW, CSSW, PA, SW, FSW, ATM, SWA, SSW, EHI],
        weights=["1.0", "1.05", "0.9", "1.0", "1.05", "1.0"],
        round_adj=(dict(item="administrator", role=ADMIN, field="hours", nominal="1"),
                   dict(item="catering (breakfast)", field="cost", nominal="31.00",
                        lo="25.00", hi="40.00")),
        panel_prep=dict(meetings=[([(PSW, "2"), (CS, "2")], "2"), ([(PSW, "1.5"), (CS, "1.5")], "1.5")],
                        item="panel preparation"),
        panel_fixed=[("panel debrief and support", CS, 1, "6", None, None)],
        panel_adj=(dict(item="panel recruitment, briefing and follow-up", role=PSW, field="hours"),
                   dict(item="travel (panel preparation)", field="miles", nominal="40", lo="20", hi="80")),
        steering_meetings=[(i, "1.5", [PSW, CS, GM, QAM, ADMIN]) for i in range(6)],
        steering_fixed=[("steering group set-up meeting", "2", [PSW, CS, GM, QAM, ADMIN])],
        steering_adj=(dict(item="steering group: SR lead time", role=GM, field="hours"),
                      dict(item="travel (steering group)", field="miles", nominal="20", lo="8", hi="40")),
        training_fixed=[("PoCF facilitator training (2 days)", PSW, 1, "15", None, None)],
        training_adj=(dict(item="travel to PoCF training", field="miles"),
                      dict(item="PoCF mentoring call", role=CS, field="hours", nominal="1.5",
                           lo="0.5", hi="2.5")),
    ),
    "LA6": dict(
        # 11 in-person rounds: 6 in one part of the LA ("north"), 5 in another ("south").
        rounds=(rounds_of([(IP, "2019-05-23"), (IP, "2019-06-20"), (IP, "2019-07-18"),
                           (IP, "2019-09-19"), (IP, "2019-10-17"), (IP, "2019-11-21")], "north")
                + rounds_of([(IP, "2019-06-27"), (IP, "2019-07-25"), (IP, "2019-09-26"),
                             (IP, "2019-10-24"), (IP, "2019-12-12")], "south")),
        facilitators={"north": [(LDO, "1.5"), (SSW, "1.5")], "south": [(ODC, "1.5"), (SP, "1.5")]},
        panel_cycle=[SW, FSW, TM, RW, SSW, KW, SW, EYP, ATM, PA, SW, CSSW, IRO, FSW, SW, EHI, SWA, TM,
                     SSW, YA, SW, FSW, AP, RW, SW, KW, TM, PC, SW, FSW, SSW, CSSW, ATM],
        n_panel=3,
        admin=(ADMIN, "1"),
        catering=("catering (sandwich lunch)", ["62.30", "58.75", "66.40", "60.10", "64.90", "55.20",
                                                 "57.80", "61.45", "59.35", "63.20"]),
        extras=[(i, "travel", None, None, None, "18.4", None) for i in range(6, 11)]
        + [(i, "room hire", None, None, None, None, "35.00") for i in range(6, 11)],
        audience=[SW, FSW, RW, KW, CSSW, EYP, SW, YA, FSW, SWA, RW, PA, SW, KW, SSW, CSSW, TM, EHI, SW,
                  FSW],
        weights=["1.0", "1.1", "0.9", "1.0", "1.05", "0.95", "0.9", "1.0", "0.95", "1.05", "1.0"],
        round_adj=(dict(item="administrator", role=ADMIN, field="hours", nominal="1"),
                   dict(item="catering (sandwich lunch)", field="cost", nominal="60.00",
                        lo="50.00", hi="72.00")),
        panel_prep=dict(meetings=[({"north": [(LDO, "1"), (SSW, "1")],
                                           "south": [(ODC, "1"), (SP, "1")]}, "0.75")],
                        item="panel preparation"),
        panel_fixed=[],
        panel_adj=(dict(item="panel recruitment and briefing", role=LDO, field="hours"),
                   dict(item="travel (panel preparation)", field="miles", nominal="40", lo="20", hi="80")),
        steering_meetings=(
            [(i, "2", [SNM, OPM, LDO, SSW, TM, HR, SW, ADMIN]) for i in range(6)]
            + [(i, "2", [SM, ODC, SP, IRO, TM, QAM, SSW, ADMIN]) for i in range(6, 11)]),
        steering_fixed=[("joint steering group set-up meeting", "2.5",
                         [SNM, SM, OPM, LDO, ODC, SSW, SP, HR, ADMIN])],
        steering_adj=(dict(item="steering group: programme lead time", role=SNM, field="hours"),
                      dict(item="travel (steering group)", field="miles", nominal="40", lo="20", hi="80")),
        training_fixed=[("PoCF facilitator training (2 days)", LDO, 1, "15", None, None),
                        ("PoCF facilitator training (day 1)", SP, 1, "7.5", None, None)],
        training_adj=(dict(item="travel to PoCF training", field="miles"),
                      dict(item="PoCF mentoring call", role=ODC, field="hours", nominal="1.5",
                           lo="0.5", hi="3")),
    ),
    # Phase 2.  rounds.csv holds the audience and the administrator only (LA9 had no
    # administrative support); the facilitators' and panellists' time, at the round and
    # before it, is on panel.csv.  See README.md for why.
    "LA7": dict(
        rounds=rounds_of([(IP, "2020-02-25"), (VR, "2020-11-24"), (VR, "2021-01-26")]),
        admin={IP: (ADMIN, "0.5"), VR: (ADMIN, "0.25")},
        catering=None,
        extras=[],
        audience=[SW, FSW, KW, SWA, CSSW, SW, EHI, FSW],
        weights=["1.4", "0.8", "0.8"],
        round_adj=(dict(item="administrator", role=ADMIN, field="hours", nominal="0.25"),
                   dict(item="catering (coffee and biscuits)", round=0, field="cost", nominal="10.00",
                        lo="6.00", hi="15.00")),
        panel_cycle=[SW, FSW, KW, SSW, CSSW, SWA],
        n_panel=2,
        panel_prep=dict(meetings=[([(AP, "1")], "1.25")],
                        item="panel preparation and presenting",
                        facilitator_item="facilitator (panel preparation and hosting)"),
        panel_fixed=[],
        panel_adj=(dict(item="panel recruitment", role=SP, field="hours"),
                   dict(item="travel (panel preparation)", round=0, field="miles", nominal="8", lo="2",
                        hi="20")),
        training_fixed=[("PoCF virtual facilitator training", AP, 1, "3", None, None)],
        training_adj=(dict(item="PoCF virtual facilitator training", role=SP, field="hours"),
                      dict(item="PoCF mentoring call", role=AP, field="hours", nominal="0.25",
                           lo="0.1", hi="0.75")),
    ),
    "LA8": dict(
        rounds=rounds_of([(IP, "2020-03-10"), (VR, "2020-10-20"), (VR, "2020-11-17"),
                          (VR, "2020-12-15"), (VR, "2021-01-19"), (VR, "2021-02-16"),
                          (VR, "2021-03-16")]),
        admin={IP: (ADMIN, "0.5"), VR: (ADMIN, "0.25")},
        catering=None,  # local procurement rules prevented paying for staff catering
        extras=[],
        audience=[SW, FSW, KW, CSSW, SW, SWA, EHI, FSW, PA, SSW, KW, SW, CSSW, TM],
        weights=["1.3", "1.0", "1.0", "0.9", "1.0", "0.9", "0.9"],
        round_adj=(dict(item="administrator", role=ADMIN, field="hours", nominal="0.25"),
                   dict(item="administrator", round=0, role=BSC, field="hours", nominal="0.25",
                        lo="0.1", hi="0.6")),
        panel_cycle=[SW, FSW, TM, KW, SSW, CSSW, SW, EHI, PA, SWA, FSW, SW, ATM, KW],
        n_panel=2,
        panel_prep=dict(meetings=[([(SSW, "1.25")], "1.5")],
                        item="panel preparation and presenting",
                        facilitator_item="facilitator (panel preparation and hosting)"),
        panel_fixed=[],
        panel_adj=(dict(item="panel recruitment", role=CSW, field="hours"),
                   dict(item="travel (panel preparation)", round=0, field="miles", nominal="10", lo="2",
                        hi="60")),
        training_fixed=[("PoCF facilitator training (day 1)", CSW, 1, "7.5", None, None)],
        training_adj=(dict(item="travel to PoCF training", field="miles"),
                      dict(item="PoCF mentoring call", role=SSW, field="hours", nominal="1",
                           lo="0.25", hi="1.5")),
    ),
    "LA9": dict(
        # "Only one facilitator, and no administrative support at all" (report, implementation section).
        rounds=rounds_of([(IP, "2020-03-05"), (VR, "2020-12-03"), (VR, "2021-02-04"),
                          (VR, "2021-03-04")]),
        admin=None,
        catering=None,
        extras=[],
        audience=[SW, FSW, KW, SW, CSSW, SWA, EHI, SSW],
        weights=["1.3", "0.9", "0.9", "0.9"],
        round_adj=(dict(item="room hire", round=0, field="cost", nominal="30.00"),
                   dict(item="travel", round=0, field="miles", nominal="12", lo="4", hi="30")),
        panel_cycle=[SW, FSW, KW, SSW, SWA, CSSW, SW, EHI],
        n_panel=2,
        panel_prep=dict(meetings=[([(SP, "1.75")], "1.25")],
                        item="panel preparation and presenting",
                        facilitator_item="facilitator (panel preparation and hosting)"),
        panel_fixed=[],
        panel_adj=(dict(item="panel recruitment", role=SP, field="hours"),
                   dict(item="travel (panel preparation)", round=0, field="miles", nominal="6", lo="2",
                        hi="30")),
        training_fixed=None,  # no training lines: the form was not returned
        training_adj=None,
    ),
    "LA12": dict(
        rounds=rounds_of([(VR, "2021-01-21"), (VR, "2021-02-18"), (VR, "2021-03-18")]),
        admin={VR: (ADMIN, "0.25")},
        catering=None,
        extras=[],
        audience=[SW, FSW, KW, SWA, SW, CSSW, SSW, EHI, FSW, TM],
        weights=["1.1", "0.95", "0.95"],
        round_adj=(dict(item="administrator", role=ADMIN, field="hours", nominal="0.25"),
                   dict(item="administrator", round=0, role=BSC, field="hours", nominal="0.25",
                        lo="0.1", hi="0.6")),
        panel_cycle=[SW, TM, FSW, SSW, IRO, KW, AP, SW, ATM],
        n_panel=3,
        panel_prep=dict(meetings=[([(SFT, "2"), (CS, "2")], "1.75")],
                        item="panel preparation and presenting",
                        facilitator_item="facilitator (panel preparation and hosting)"),
        panel_fixed=[],
        panel_adj=(dict(item="panel recruitment", role=SFT, field="hours"),
                   dict(item="panel recruitment", role=CS, field="hours", nominal="0.5", lo="0.25",
                        hi="3")),
        training_fixed=[],
        training_adj=(dict(item="PoCF mentoring call", role=CS, field="hours"),
                      dict(item="PoCF virtual facilitator training", role=SFT, field="hours",
                           nominal="3", lo="2.5", hi="3.5")),
    ),
}


# --------------------------------------------------------------------------- helpers

def D(x) -> Decimal:
    return x if isinstance(x, Decimal) else Decimal(str(x))


def penny(x: Decimal) -> Decimal:
    return x.quantize(PENNY, rounding=ROUND_HALF_UP)


def load_unit_costs(path: str = UNIT_COSTS_CSV) -> dict[str, Decimal]:
    with open(path, newline="", encoding="utf-8") as f:
        return {row["role"]: Decimal(row["unit_cost_hour"]) for row in csv.DictReader(f)}


UC = load_unit_costs()


def new_line(la, phase, rnd="", mode="", item="", role="", staff=None, hours=None, miles=None,
             cost=None) -> dict:
    return dict(la=la, phase=phase, round=rnd, mode=mode, item=item, role=role or "",
                staff=staff, hours=None if hours is None else D(hours),
                miles=None if miles is None else D(miles), cost=None if cost is None else D(cost))


def line_value(ln: dict) -> Decimal:
    """Build-side cost of a line (the checks below recompute it from the CSV)."""
    v = Decimal(0)
    if ln["hours"] is not None:
        v += (ln["staff"] or 1) * ln["hours"] * UC[ln["role"]]
    if ln["miles"] is not None:
        v += ln["miles"] * MILEAGE_RATE
    if ln["cost"] is not None:
        v += ln["cost"]
    return v


def step_of(ln: dict, field: str) -> Decimal:
    if field == "hours":
        return (ln["staff"] or 1) * UC[ln["role"]] * QUANTUM["hours"]
    if field == "miles":
        return MILEAGE_RATE * QUANTUM["miles"]
    return QUANTUM["cost"]


SOLVED: list[tuple] = []  # (adj1, field1, adj2, field2), printed by main()


def solve(lines: list[dict], a1: dict, f1: str, a2: dict, f2: str, k2_nom: int, k2_lo: int,
          k2_hi: int, lo: Decimal, hi: Decimal) -> None:
    """Set a1[f1] and a2[f2] (whole quanta) so that the lines' total is in [lo, hi).

    a1 takes the bulk, starting from the value that puts a2 at its nominal; the scan moves
    a1 one quantum at a time outwards until a2 (within [k2_lo, k2_hi]) closes the gap.
    """
    a1[f1] = Decimal(0)
    a2[f2] = Decimal(0)
    fixed = sum((line_value(ln) for ln in lines), Decimal(0))
    s1, s2 = step_of(a1, f1), step_of(a2, f2)
    mid = (lo + hi) / 2
    k1_0 = int(((mid - fixed - k2_nom * s2) / s1).to_integral_value(rounding=ROUND_FLOOR))
    for d in range(0, 100000):
        for k1 in ((k1_0,) if d == 0 else (k1_0 + d, k1_0 - d)):
            if k1 < 0:
                continue
            k2 = int(((lo - fixed - k1 * s1) / s2).to_integral_value(rounding=ROUND_CEILING))
            if k2_lo <= k2 <= k2_hi and fixed + k1 * s1 + k2 * s2 < hi:
                a1[f1] = k1 * QUANTUM[f1]
                a2[f2] = k2 * QUANTUM[f2]
                SOLVED.append((a1, f1, a2, f2))
                return
    raise RuntimeError(f"no solution for {a1['la']} {a1['item']}: fixed {fixed}, window [{lo}, {hi})")


def quanta(x, field: str) -> int:
    return int(D(x) / QUANTUM[field])


def adjusters(la, phase, spec1, spec2, rounds, default_round, with_mode=False):
    """Make the two adjuster lines and the solver's parameters for adj2."""
    out = []
    for spec in (spec1, spec2):
        if "round" in spec:
            idx = spec["round"]
        else:
            idx = default_round
        rnd = "" if idx is None else rounds[idx][0]
        mode = rounds[idx][1] if (with_mode and idx is not None) else ""
        ln = new_line(la, phase, rnd, mode, spec["item"], spec.get("role"),
                      staff=1 if spec.get("role") else None)
        out.append(ln)
    f1, f2 = spec1["field"], spec2["field"]
    return out[0], f1, out[1], f2, quanta(spec2["nominal"], f2), quanta(spec2["lo"], f2), quanta(
        spec2["hi"], f2)


def target_window(phase: int, pub_mean: str, component: str, n: int):
    aim = n * (D(pub_mean) - OFFSET[phase][component])
    if phase == 1:
        return aim - WINDOW[1], aim + WINDOW[1]
    return aim, aim + WINDOW[2]


# --------------------------------------------------------------------------- audience

def fill_audience(budget: Decimal, weights: list[Decimal], seq: list[str]) -> tuple[list[list[str]], Decimal]:
    """Seat attendees, taking roles in turn from seq, until each round's share is spent.

    Returns the roles seated per round and what is left of the budget (0 <= left < £1
    when it can be brought that low by adding one attendee or changing one's role).
    """
    total_w = sum(weights)
    seated: list[list[str]] = []
    carry = Decimal(0)
    pos = 0
    for w in weights:
        share = budget * w / total_w + carry
        here: list[str] = []
        while UC[seq[pos % len(seq)]] <= share:
            role = seq[pos % len(seq)]
            here.append(role)
            share -= UC[role]
            pos += 1
        seated.append(here)
        carry = share
    left = carry
    roles = sorted(set(seq))
    for _ in range(6):  # fine tuning: add one attendee or change one attendee's role
        best = None
        for i, here in enumerate(seated):
            for b in roles:
                if UC[b] <= left and (best is None or UC[b] > best[0]):
                    best = (UC[b], i, None, b)
                for a in sorted(set(here)):
                    delta = UC[b] - UC[a]
                    if Decimal(0) < delta <= left and (best is None or delta > best[0]):
                        best = (delta, i, a, b)
        if best is None or left < 1:
            break
        delta, i, a, b = best
        if a is not None:
            seated[i].remove(a)
        seated[i].append(b)
        left -= delta
    return seated, left


def audience_lines(la, phase, rnd, mode, roles: list[str]) -> list[dict]:
    counts: dict[str, int] = {}
    for r in roles:
        counts[r] = counts.get(r, 0) + 1
    # order: most attendees first, then by role name
    return [new_line(la, phase, rnd, mode, "attendance", r, staff=c, hours="1")
            for r, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


# --------------------------------------------------------------------------- build

ITEM_ORDER = ["attendance", "panel", "facilitator", "administrator", "catering", "room hire", "travel"]


def item_rank(item: str) -> int:
    for i, key in enumerate(ITEM_ORDER):
        if item.startswith(key):
            return i
    return len(ITEM_ORDER)


def panellists(design: dict) -> list[list[str]]:
    cycle, n = design["panel_cycle"], design["n_panel"]
    return [[cycle[(i * n + j) % len(cycle)] for j in range(n)] for i in range(len(design["rounds"]))]


def build_rounds(la: str, phase: int, design: dict, pub_round: str) -> list[dict]:
    rounds = design["rounds"]
    n = len(rounds)
    panel = panellists(design)
    fixed: list[dict] = []
    last = n - 1
    spec1, spec2 = design["round_adj"]
    a1, f1, a2, f2, k2_nom, k2_lo, k2_hi = adjusters(la, phase, spec1, spec2, rounds, last, with_mode=True)
    cat_item, cat_costs = design["catering"] if design["catering"] else (None, None)
    for i, (date, mode, site) in enumerate(rounds):
        if phase == 1:
            for role in panel[i]:
                fixed.append(new_line(la, phase, date, mode, "panel", role, staff=1, hours="1"))
            for role, h in design["facilitators"][site]:
                fixed.append(new_line(la, phase, date, mode, "facilitator", role, staff=1, hours=h))
        admin = design["admin"]
        if admin and i != last:
            role, h = admin[mode] if isinstance(admin, dict) else admin
            fixed.append(new_line(la, phase, date, mode, "administrator", role, staff=1, hours=h))
        if cat_item and i != last:
            fixed.append(new_line(la, phase, date, mode, cat_item, cost=cat_costs[i]))
    for idx, item, role, staff, hours, miles, cost in design["extras"]:
        date, mode, _ = rounds[idx]
        fixed.append(new_line(la, phase, date, mode, item, role, staff, hours, miles, cost))
    lo, hi = target_window(phase, pub_round, "round", n)
    # Seat the audience with what is left after the fixed lines and the adjusters at nominal.
    nominal = sum((line_value(ln) for ln in fixed), Decimal(0))
    for ln, spec in ((a1, spec1), (a2, spec2)):
        ln[spec["field"]] = D(spec["nominal"])
        nominal += line_value(ln)
    seated, _ = fill_audience((lo + hi) / 2 - nominal, [D(w) for w in design["weights"]],
                              design["audience"])
    lines = list(fixed)
    for i, (date, mode, _) in enumerate(rounds):
        lines += audience_lines(la, phase, date, mode, seated[i])
    solve(lines, a1, f1, a2, f2, k2_nom, k2_lo, k2_hi, lo, hi)
    lines += [a1, a2]
    order = {r[0]: i for i, r in enumerate(rounds)}
    lines.sort(key=lambda ln: (order[ln["round"]], item_rank(ln["item"])))
    return lines


def build_panel(la: str, phase: int, design: dict, pub_panel: str) -> list[dict]:
    rounds = design["rounds"]
    n = len(rounds)
    panel = panellists(design)
    prep = design["panel_prep"]
    lines: list[dict] = []
    fac_item = prep.get("facilitator_item", prep["item"])
    for i, (date, _mode, site) in enumerate(rounds):
        for m, (facs, ph) in enumerate(prep["meetings"]):
            if isinstance(facs, dict):  # by site
                facs = facs[site]
            elif isinstance(facs[0], list):  # facilitators take turns
                facs = facs[i % len(facs)]
            suffix = f" (meeting {m + 1})" if len(prep["meetings"]) > 1 else ""
            for role, h in facs:
                lines.append(new_line(la, phase, date, "", fac_item + suffix, role, staff=1, hours=h))
            for role in panel[i]:
                lines.append(new_line(la, phase, date, "", prep["item"] + suffix, role, staff=1,
                                      hours=ph))
    for item, role, staff, hours, miles, cost in design["panel_fixed"]:
        lines.append(new_line(la, phase, "", "", item, role, staff, hours, miles, cost))
    spec1, spec2 = design["panel_adj"]
    a1, f1, a2, f2, k2_nom, k2_lo, k2_hi = adjusters(la, phase, spec1, spec2, rounds, None)
    lo, hi = target_window(phase, pub_panel, "panel", n)
    solve(lines, a1, f1, a2, f2, k2_nom, k2_lo, k2_hi, lo, hi)
    return lines + [a1, a2]


def build_steering(la: str, phase: int, design: dict, pub_steering: str) -> list[dict]:
    rounds = design["rounds"]
    lines: list[dict] = []
    for idx, hours, members in design["steering_meetings"]:
        for role in members:
            lines.append(new_line(la, phase, rounds[idx][0], "", "steering group meeting", role,
                                  staff=1, hours=hours))
    for item, hours, members in design["steering_fixed"]:
        for role in members:
            lines.append(new_line(la, phase, "", "", item, role, staff=1, hours=hours))
    spec1, spec2 = design["steering_adj"]
    a1, f1, a2, f2, k2_nom, k2_lo, k2_hi = adjusters(la, phase, spec1, spec2, rounds, None)
    lo, hi = target_window(phase, pub_steering, "steering", len(rounds))
    solve(lines, a1, f1, a2, f2, k2_nom, k2_lo, k2_hi, lo, hi)
    return lines + [a1, a2]


def build_training(la: str, phase: int, design: dict, pub_indirect: str) -> list[dict]:
    lines = [new_line(la, phase, "", "", "PoCF training fee", cost=TRAINING_FEE)]
    for item, role, staff, hours, miles, cost in design["training_fixed"]:
        lines.append(new_line(la, phase, "", "", item, role, staff, hours, miles, cost))
    spec1, spec2 = design["training_adj"]
    a1, f1, a2, f2, k2_nom, k2_lo, k2_hi = adjusters(la, phase, spec1, spec2, design["rounds"], None)
    lo = TRAINING_FEE + D(pub_indirect)
    solve(lines, a1, f1, a2, f2, k2_nom, k2_lo, k2_hi, lo, lo + TRAINING_WINDOW)
    return lines + [a1, a2]


def build_all() -> dict[str, list[dict]]:
    forms: dict[str, list[dict]] = {k: [] for k in FORMS}
    for la, (phase, _ip, _vr, training, (p_panel, p_round, p_steer, _total)) in PUBLISHED.items():
        design = DESIGN[la]
        if training is not None:
            forms["training"] += build_training(la, phase, design, training)
        forms["rounds"] += build_rounds(la, phase, design, p_round)
        forms["panel"] += build_panel(la, phase, design, p_panel)
        if p_steer is not None:
            forms["steering"] += build_steering(la, phase, design, p_steer)
    return forms


def fmt(ln: dict) -> dict:
    def num(x, places=None):
        if x is None:
            return ""
        if places is not None:
            return f"{x:.{places}f}"
        s = format(x.normalize(), "f")
        return s
    return dict(la=ln["la"], phase=str(ln["phase"]), round=ln["round"], mode=ln["mode"],
                item=ln["item"], role=ln["role"], rate="",
                staff="" if ln["staff"] is None else str(ln["staff"]),
                hours=num(ln["hours"]), miles=num(ln["miles"], 1), cost=num(ln["cost"], 2))


def write_forms(forms: dict[str, list[dict]]) -> None:
    for name, lines in forms.items():
        with open(os.path.join(HERE, f"{name}.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
            w.writeheader()
            for ln in lines:
                w.writerow(fmt(ln))


# --------------------------------------------------------------------------- independent checks
#
# Everything below uses only the CSV files just written and the unit-cost table.

def read_forms() -> dict[str, list[dict]]:
    out = {}
    for name in FORMS:
        with open(os.path.join(HERE, f"{name}.csv"), newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            assert reader.fieldnames == COLUMNS, (name, reader.fieldnames)
            out[name] = list(reader)
    return out


def cost_parts(row: dict, uc: dict[str, Decimal]) -> tuple[Decimal, Decimal]:
    """(direct, indirect) cost of one CSV row."""
    staff = Decimal(row["staff"]) if row["staff"] else Decimal(1)
    hours = Decimal(row["hours"]) if row["hours"] else Decimal(0)
    miles = Decimal(row["miles"]) if row["miles"] else Decimal(0)
    cost = Decimal(row["cost"]) if row["cost"] else Decimal(0)
    if row["rate"]:
        rate = Decimal(row["rate"])
    elif row["role"]:
        rate = uc[row["role"]]
    else:
        assert hours == 0, row
        rate = Decimal(0)
    return cost, staff * hours * rate + miles * MILEAGE_RATE


def places(s: str) -> int:
    return len(s.split(".")[1]) if "." in s else 0


def check(forms: dict[str, list[dict]], uc: dict[str, Decimal]) -> None:
    ok = []

    def expect(label: str, exact: Decimal, published: str) -> None:
        got = penny(exact)
        assert got == Decimal(published), f"{label}: {exact} -> {got}, published {published}"
        ok.append(label)

    # --- well-formedness
    las = [f"LA{i}" for i in (1, 3, 4, 5, 6, 7, 8, 9, 12)]
    for name, rows in forms.items():
        for r in rows:
            assert r["la"] in las and r["phase"] in ("1", "2"), r
            assert (r["phase"] == "1") == (int(r["la"][2:]) <= 6), r
            assert r["rate"] == "", r
            assert r["role"] == "" or r["role"] in uc, r
            assert bool(r["role"]) == bool(r["hours"]), r
            for col, mx in (("staff", 0), ("hours", 3), ("miles", 1), ("cost", 2)):
                if r[col]:
                    assert Decimal(r[col]) >= 0 and places(r[col]) <= mx, (col, r)
            assert (r["mode"] != "") == (name == "rounds"), r
            if name == "training":
                assert r["round"] == "", r
    rounds: dict[tuple[str, str], dict[str, str]] = {}
    for r in forms["rounds"]:
        assert r["round"] and r["mode"] in (IP, VR), r
        modes = rounds.setdefault((r["la"], r["phase"]), {})
        assert modes.setdefault(r["round"], r["mode"]) == r["mode"], r
    for name in ("panel", "steering"):
        for r in forms[name]:
            assert r["round"] == "" or r["round"] in rounds[(r["la"], r["phase"])], r
    assert not [r for r in forms["steering"] if r["phase"] == "2"]

    # --- Table 12: rounds per LA and mode
    for la, (phase, n_ip, n_vr, *_rest) in PUBLISHED.items():
        modes = list(rounds[(la, str(phase))].values())
        assert (modes.count(IP), modes.count(VR)) == (n_ip, n_vr), la
        dates = sorted(rounds[(la, str(phase))])
        if phase == 1:
            assert "2019-05-01" <= dates[0] and dates[-1] <= "2020-01-31", la
        else:
            for d, m in rounds[(la, str(phase))].items():
                assert ("2020-02-01" <= d <= "2020-03-31") if m == IP else ("2020-10-01" <= d <= "2021-03-31")
        ok.append(f"Table 12 {la}")
    assert set(la for la, _ in rounds) == set(PUBLISHED)

    # --- Table 19: training
    setup: dict[str, tuple[Decimal, Decimal]] = {}
    for r in forms["training"]:
        d, i = cost_parts(r, uc)
        old = setup.get(r["la"], (Decimal(0), Decimal(0)))
        setup[r["la"]] = (old[0] + d, old[1] + i)
    for la, (_phase, _ip, _vr, training, _t20) in PUBLISHED.items():
        if training is None:
            assert la not in setup, la
            continue
        direct, indirect = setup[la]
        expect(f"Table 19 {la} direct", direct, "5000.00")
        expect(f"Table 19 {la} indirect", indirect, training)
        expect(f"Table 19 {la} total", direct + indirect, str(TRAINING_FEE + D(training)))
    totals = [d + i for d, i in setup.values()]
    expect("Table 19 mean", sum(totals) / len(totals), TRAINING_MEAN)
    expect("Table 19 min", min(totals), TRAINING_MIN)
    expect("Table 19 max", max(totals), TRAINING_MAX)

    # --- Table 20: mean per round per component
    comp_total: dict[tuple[str, str, str], Decimal] = {}
    for (la, phase), modes in rounds.items():
        for rid in modes:
            for comp in ("round", "panel", "steering"):
                comp_total[(la, rid, comp)] = Decimal(0)
    for r in forms["rounds"]:
        d, i = cost_parts(r, uc)
        comp_total[(r["la"], r["round"], "round")] += d + i
    for comp in ("panel", "steering"):
        untied: dict[tuple[str, str], Decimal] = {}
        for r in forms[comp]:
            d, i = cost_parts(r, uc)
            if r["round"]:
                comp_total[(r["la"], r["round"], comp)] += d + i
            else:
                key = (r["la"], r["phase"])
                untied[key] = untied.get(key, Decimal(0)) + d + i
        for (la, phase), amount in untied.items():
            rids = rounds[(la, phase)]
            for rid in rids:
                comp_total[(la, rid, comp)] += amount / len(rids)
    la_mean: dict[str, Decimal] = {}
    for la, (phase, _ip, _vr, _tr, (p_panel, p_round, p_steer, p_total)) in PUBLISHED.items():
        rids = rounds[(la, str(phase))]
        n = len(rids)
        means = {c: sum(comp_total[(la, rid, c)] for rid in rids) / n for c in ("panel", "round", "steering")}
        expect(f"Table 20 {la} panel", means["panel"], p_panel)
        expect(f"Table 20 {la} round", means["round"], p_round)
        if p_steer is None:
            assert means["steering"] == 0, la
        else:
            expect(f"Table 20 {la} steering", means["steering"], p_steer)
        la_mean[la] = means["panel"] + means["round"] + means["steering"]
        expect(f"Table 20 {la} total", la_mean[la], p_total)

    # --- phase means, overall mean, annual cost
    phase_mean = {}
    for phase in (1, 2):
        vals = [la_mean[la] for la, p in PUBLISHED.items() if p[0] == phase]
        phase_mean[phase] = sum(vals) / len(vals)
        expect(f"phase {phase} mean", phase_mean[phase], PHASE_MEAN[phase])
        expect(f"phase {phase} min", min(vals), PHASE_RANGE[phase][0])
        expect(f"phase {phase} max", max(vals), PHASE_RANGE[phase][1])
        expect(f"phase {phase} annual", 12 * phase_mean[phase], ANNUAL[phase])
    # The subtlety: the report took 12 x the *rounded* phase mean.  The exact means must
    # lie where 12 x them still rounds to the published annual cost.
    sum1 = sum(la_mean[la] for la, p in PUBLISHED.items() if p[0] == 1)
    assert Decimal("9425.8479") <= sum1 < Decimal("9425.8521"), sum1
    assert Decimal("429.20958") <= phase_mean[2] < Decimal("429.21042"), phase_mean[2]
    ok.append("annual-cost windows")
    overall = sum(la_mean.values()) / len(la_mean)
    expect("overall mean", overall, OVERALL_MEAN)

    # --- report
    attendance = {1: 0, 2: 0}
    for r in forms["rounds"]:
        if r["item"] == "attendance":
            attendance[int(r["phase"])] += int(r["staff"] or 1)
    n_rounds = {p: sum(len(m) for (la, ph), m in rounds.items() if ph == str(p)) for p in (1, 2)}
    print(f"{len(ok)} checks passed against the report (Tables 12, 19, 20 and the text).")
    for la in PUBLISHED:
        print(f"  {la:<5} exact mean per round {la_mean[la]:.6f} -> {penny(la_mean[la])}")
    for p in (1, 2):
        print(f"phase {p}: {n_rounds[p]} rounds, attendance {attendance[p]}, "
              f"exact mean {phase_mean[p]:.8f} -> {penny(phase_mean[p])}, "
              f"12 x mean {12 * phase_mean[p]:.8f} -> {penny(12 * phase_mean[p])}")
    print(f"overall: exact mean {overall:.8f} -> {penny(overall)}")
    print(f"training: exact mean {sum(totals) / len(totals):.6f} -> {penny(sum(totals) / len(totals))}")


def main() -> None:
    forms = build_all()
    write_forms(forms)
    for name in FORMS:
        print(f"wrote {os.path.relpath(os.path.join(HERE, name + '.csv'), REPO)} ({len(forms[name])} lines)")
    print("solved quantities (adj1 takes the bulk, adj2 fine-tunes):")
    for a1, f1, a2, f2 in SOLVED:
        print(f"  {a1['la']:<5} {a1['item'][:38]:<38} {f1} {a1[f1]:>8}   "
              f"{a2['item'][:34]:<34} {f2} {a2[f2]}")
    check(read_forms(), load_unit_costs())


if __name__ == "__main__":
    main()
