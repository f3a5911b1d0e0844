"""The "七个不准" tender-document checker: text extraction, segmentation, the rule catalogue and its run.

Django-free, so the web app, the command line and the benchmark share it::

    from zhengshu.trading.checker import check_document, check_text, load_rules, validate_rule, Finding

    result = check_document("招标文件.docx", "招标文件.docx", facts={"estimated_price_yuan": 5_000_000})
    for f in result.findings:
        assert result.text[f.start:f.end] == f.text
"""

from .engine import CheckResult, Finding, check_document, check_text, section_label
from .extract import ExtractionError, extract_text
from .rules import SEVERITIES, SEVERITY_LABELS, Rule, RuleError, RuleSet, load_rules, validate_rule
from .segment import SECTION_KINDS, SECTION_LABELS, Section, segment

FACT_KEYS = ("regime", "kind", "location", "funding", "must_tender", "estimated_price_yuan", "budget_yuan", "method",
             "import_approved", "doc_issue_date", "bid_deadline", "original_bid_deadline", "clarification_date",
             "clarification_affects_preparation")

__all__ = ["CheckResult", "ExtractionError", "FACT_KEYS", "Finding", "Rule", "RuleError", "RuleSet", "SECTION_KINDS",
           "SECTION_LABELS", "SEVERITIES", "SEVERITY_LABELS", "Section", "check_document", "check_text",
           "extract_text", "load_rules", "section_label", "segment", "validate_rule"]
