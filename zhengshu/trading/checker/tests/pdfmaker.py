"""A tiny PDF writer for the tests: one page per list of lines, Chinese text through a ToUnicode map.

The font is not embedded (a viewer substitutes one); what matters here is the text layer that pypdf reads.
"""

from __future__ import annotations


def _hex(s: str) -> str:
    return "".join(f"{ord(c):04X}" for c in s)


def make_pdf(pages: list[list[str]]) -> bytes:
    chars = sorted({c for page in pages for line in page for c in line})
    if any(ord(c) > 0xFFFF for c in chars):
        raise ValueError("只支持基本多文种平面的字符")
    blocks = []
    for i in range(0, len(chars), 100):
        chunk = chars[i:i + 100]
        blocks.append(f"{len(chunk)} beginbfchar\n" + "\n".join(f"<{_hex(c)}> <{_hex(c)}>" for c in chunk)
                      + "\nendbfchar")
    cmap = ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + "\n".join(blocks) +
            "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
    objects: dict[int, bytes] = {}
    n_pages = len(pages)
    first_page = 6
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(n_pages))
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode()
    objects[3] = (b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
                  b"/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>")
    objects[4] = (b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
                  b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>")
    cm = cmap.encode()
    objects[5] = b"<< /Length %d >>\nstream\n" % len(cm) + cm + b"\nendstream"
    for i, lines in enumerate(pages):
        ops = ["BT", "/F1 10 Tf", "40 800 Td"]
        for j, line in enumerate(lines):
            if j:
                ops.append("0 -14 Td")
            ops.append(f"<{_hex(line)}> Tj")
        ops.append("ET")
        content = "\n".join(ops).encode()
        page_no, content_no = first_page + 2 * i, first_page + 2 * i + 1
        objects[page_no] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content_no} 0 R >>").encode()
        objects[content_no] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    return _assemble(objects, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")


def make_empty_pdf(n_pages: int = 2) -> bytes:
    """A PDF whose pages carry no text (like a scan without OCR)."""
    kids = " ".join(f"{3 + i} 0 R" for i in range(n_pages))
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
               2: f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode()}
    for i in range(n_pages):
        objects[3 + i] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    return _assemble(objects, b"%PDF-1.4\n")


def _assemble(objects: dict[int, bytes], header: bytes) -> bytes:
    """The file: header, numbered objects, the cross-reference table (free entries for missing numbers), trailer."""
    out = bytearray(header)
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += f"{num} 0 obj\n".encode() + objects[num] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for num in range(1, size):
        out += (f"{offsets[num]:010d} 00000 n \n" if num in offsets else "0000000000 65535 f \n").encode()
    out += f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
