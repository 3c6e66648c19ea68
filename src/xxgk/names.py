"""The Chinese names people read for the ids the data keeps: findings' severities and agencies' levels.

Declared once here, with no imports, so that the CLI can name them without loading the data model.
"""

SEVERITY_NAMES: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}
LEVEL_NAMES: dict[str, str] = {"government": "政府", "department": "部门", "township": "乡镇（街道）", "unknown": "未识别"}
