"""Render a document's text with its findings marked at their exact character offsets."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def highlight(text: str, findings) -> SafeString:
    """HTML of ``text`` where every span ``[start, end)`` of a finding is inside ``<mark>`` elements.

    Overlapping findings split the text at every boundary; each piece is one ``<mark>`` carrying the
    classes ``zs-f-<id>`` of all findings covering it and its own ``data-start``/``data-end`` offsets.
    """
    spans = [(max(0, f.start), min(len(text), f.end), f) for f in findings if f.end > f.start]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a >= b:
            continue
        covering = [f for s, e, f in spans if s <= a and b <= e]
        piece = escape(text[a:b])
        if not covering:
            out.append(piece)
            continue
        worst = min(covering, key=lambda f: ("high", "medium", "low", "info").index(f.severity)
                    if f.severity in ("high", "medium", "low", "info") else 9)
        classes = " ".join([f"zs-sev-{worst.severity}", *(f"zs-f-{f.pk}" for f in covering)])
        title = escape("；".join(f"{f.rule} {f.message}" for f in covering))
        out.append(f'<mark class="{classes}" data-start="{a}" data-end="{b}" '
                   f'data-rules="{escape(" ".join(f.rule for f in covering))}" title="{title}">{piece}</mark>')
    return mark_safe("".join(out))
