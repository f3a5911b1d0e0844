"""A resource's schema: its data items, key and rules, from the catalogue or a YAML file.

Shape (the same whether it comes from YAML or from ``dataresources.selectors.pipeline_schema``)::

    resource: "301001/000001"     # 信息资源代码
    name: 企业登记信息
    provider: HN-SJJ              # 提供部门
    key: [uscc]                   # items that identify a record (a new batch with the same key = new version)
    items:
      - {name: uscc, label: 统一社会信用代码, type: string, required: true, check: uscc, link: uscc}
      - {name: capital, label: 注册资本, type: decimal, unit: 万元}
      - {name: status, label: 登记状态, type: string, enum: [存续, 在业, 吊销, 注销, 迁出]}

Source columns match an item by its Chinese ``label`` or its ``name``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

TYPES = ("string", "integer", "decimal", "date", "datetime", "boolean")
CHECKS = ("uscc", "orgcode", "idcard", "division", "phone")
LINKS = ("uscc", "org_code", "enterprise_name")
ITEM_KEYS = {"name", "label", "type", "required", "max_length", "enum", "unit", "sensitive", "check", "link"}
TOP_KEYS = {"resource", "name", "provider", "key", "items"}
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
RESERVED = {"_row", "_ok", "_rule", "_column", "_reason", "_raw", "_ord", "_ncols", "_key"}


class SchemaError(ValueError):
    """A schema that cannot be used; the message says where and what, in Chinese."""


def _fail(where: str, message: str) -> None:
    raise SchemaError(f"{where}：{message}")


def validate_schema(data: Any, where: str = "数据项定义") -> dict:
    """Check a schema dict and return a normalised copy (defaults filled in)."""
    if not isinstance(data, dict):
        _fail(where, "顶层应为映射（resource、name、provider、key、items）")
    unknown = set(data) - TOP_KEYS
    if unknown:
        _fail(where, f"未知的字段 {', '.join(sorted(map(str, unknown)))}（可用：{', '.join(sorted(TOP_KEYS))}）")
    resource = data.get("resource")
    if not isinstance(resource, str) or not resource.strip():
        _fail(where, "缺少 resource（信息资源代码）")
    items = data.get("items")
    if not isinstance(items, list) or not items:
        _fail(where, "items（数据项）应为非空列表")
    out_items: list[dict] = []
    names: set[str] = set()
    labels: set[str] = set()
    for index, item in enumerate(items, start=1):
        here = f"{where} 第{index}个数据项"
        if not isinstance(item, dict):
            _fail(here, "应为映射")
        unknown = set(item) - ITEM_KEYS
        if unknown:
            _fail(here, f"未知的字段 {', '.join(sorted(map(str, unknown)))}")
        name = item.get("name")
        if not isinstance(name, str) or not _NAME.match(name) or name in RESERVED:
            _fail(here, f"name 应为英文标识符（字母、数字、下划线，不以数字开头，不用保留名），实际为 {name!r}")
        label = item.get("label") or name
        if not isinstance(label, str):
            _fail(here, "label（中文名称）应为文本")
        if name in names or label in labels:
            _fail(here, f"数据项 {name}（{label}）重复")
        names.add(name)
        labels.add(label)
        kind = item.get("type") or "string"
        if kind not in TYPES:
            _fail(here, f"type 应为 {'、'.join(TYPES)} 之一，实际为 {kind!r}")
        max_length = item.get("max_length")
        if max_length in (0, ""):
            max_length = None
        if max_length is not None and (not isinstance(max_length, int) or isinstance(max_length, bool)
                                       or max_length < 0):
            _fail(here, f"max_length 应为正整数，实际为 {max_length!r}")
        enum = item.get("enum") or None
        if enum is not None:
            if not isinstance(enum, list) or not all(isinstance(v, (str, int)) for v in enum):
                _fail(here, "enum（代码表）应为文本列表")
            enum = [str(v) for v in enum]
        check = item.get("check") or None
        if check is not None and check not in CHECKS:
            _fail(here, f"check 应为 {'、'.join(CHECKS)} 之一，实际为 {check!r}")
        link = item.get("link") or None
        if link is not None and link not in LINKS:
            _fail(here, f"link 应为 {'、'.join(LINKS)} 之一，实际为 {link!r}")
        unit = item.get("unit") or None
        if unit is not None and not isinstance(unit, str):
            _fail(here, "unit（计量单位）应为文本")
        out_items.append({
            "name": name, "label": label, "type": kind, "required": bool(item.get("required")),
            "max_length": max_length, "enum": enum, "unit": unit, "sensitive": bool(item.get("sensitive")),
            "check": check, "link": link,
        })
    key = data.get("key") or []
    if isinstance(key, str):
        key = [key]
    if not isinstance(key, list) or not all(isinstance(k, str) for k in key):
        _fail(where, "key（主键数据项）应为数据项 name 的列表")
    missing = [k for k in key if k not in names]
    if missing:
        _fail(where, f"key 中的 {', '.join(missing)} 不是已定义的数据项")
    for item in out_items:
        if item["name"] in key:
            item["required"] = True
    return {
        "resource": resource.strip(),
        "name": str(data.get("name") or resource),
        "provider": str(data.get("provider") or ""),
        "key": list(key),
        "items": out_items,
    }


def load_schema(path: Path | str) -> dict:
    """Read and validate a YAML schema file; errors name the file and the item."""
    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SchemaError(f"数据项定义文件 {path} 不存在") from None
    except UnicodeDecodeError:
        raise SchemaError(f"数据项定义文件 {path} 不是 UTF-8 编码") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行第{mark.column + 1}列" if mark else ""
        raise SchemaError(f"数据项定义文件 {path} {where}不是有效的 YAML：{getattr(exc, 'problem', exc)}") from None
    return validate_schema(data, where=f"数据项定义文件 {path}")
