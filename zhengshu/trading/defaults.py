"""Legal data shipped with the app: the must-tender thresholds by their date of effect (TH-02)."""

import datetime as dt
from decimal import Decimal

# (kind, amount, from, to, basis). 2000 standards replaced by 国家发展改革委令第16号 from 2018-06-01.
MUST_TENDER_THRESHOLDS = (
    ("construction", Decimal("2000000"), dt.date(2000, 5, 1), dt.date(2018, 5, 31), "原国家计委令第3号第7条"),
    ("goods", Decimal("1000000"), dt.date(2000, 5, 1), dt.date(2018, 5, 31), "原国家计委令第3号第7条"),
    ("design", Decimal("500000"), dt.date(2000, 5, 1), dt.date(2018, 5, 31), "原国家计委令第3号第7条"),
    ("construction", Decimal("4000000"), dt.date(2018, 6, 1), None, "国家发展改革委令第16号第5条"),
    ("goods", Decimal("2000000"), dt.date(2018, 6, 1), None, "国家发展改革委令第16号第5条"),
    ("design", Decimal("1000000"), dt.date(2018, 6, 1), None, "国家发展改革委令第16号第5条"),
)
