"""The office's own particulars: what its letters are signed with and what its public form asks.

Stored in the register's database (table ``register_settings``), set with ``xxgk register office
名称=值 …``. Nothing here is personal data.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Setting → its Chinese name (the CLI's ``名称=值`` and the messages).
OFFICE_FIELDS: dict[str, str] = {
    "agency": "机关名称",
    "seal": "印章",
    "address": "联系地址",
    "phone": "联系电话",
    "review_body": "复议机关",
    "court": "人民法院",
    "templates": "文书模板文件夹",
    "require_id": "申请须提供证件",
}
# The annual report's Word template, when the office keeps its own in its templates folder.
REPORT_TEMPLATE_FILE = "report.docx"
DEFAULT_SEAL = "（印章）"
DEFAULT_COURT = "有管辖权的人民法院"
_YES = {"是", "yes", "true", "1", "需要", "要"}
_NO = {"否", "no", "false", "0", "不需要", "不要", ""}


class Office(BaseModel):
    """The settings, each optional (letters leave a blank line for what is not set)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    agency: str | None = Field(None, max_length=200)
    seal: str | None = Field(None, max_length=200)
    address: str | None = Field(None, max_length=300)
    phone: str | None = Field(None, max_length=100)
    review_body: str | None = Field(None, max_length=200)
    court: str | None = Field(None, max_length=200)
    templates: str | None = Field(None, max_length=1000)
    require_id: bool = False

    @field_validator("require_id", mode="before")
    @classmethod
    def _yes_no(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip().lower()
            if text in _YES:
                return True
            if text in _NO:
                return False
            raise ValueError("应为“是”或“否”")
        return value

    def report_template(self) -> Path | None:
        """The office's own annual report template (``report.docx`` in its templates folder), if it has one."""
        if self.templates:
            own = Path(self.templates).expanduser() / REPORT_TEMPLATE_FILE
            if own.is_file():
                return own
        return None

    def as_settings(self) -> dict[str, str]:
        """The settings as stored text (unset ones left out)."""
        out = {k: v for k, v in self.model_dump().items() if isinstance(v, str) and v}
        out["require_id"] = "是" if self.require_id else "否"
        return out
