"""Automated content checks (国办秘函〔2019〕19号 检查指标: 严重表述错误, 链接, 个人信息, 内容完整).

The pure layer (no database): ``personal`` finds ID-card, mobile and bank-card numbers; ``dictionary`` matches
the maintained term dictionary; ``text`` turns rich text into located paragraphs; ``extract`` reads the text of
attached PDF/DOCX/XLSX/TXT files. ``engine`` gathers a page's texts, runs them all and returns ``Finding``s.
"""

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Finding:
    rule: str  # e.g. "political", "leader", "typo", "sensitive", "id_card", "mobile", "bank_card", "link", "metadata"
    severity: str  # "block" | "warn"
    message: str  # what is wrong, in Chinese
    location: str = ""  # where: "标题", "正文第3段", "附件《…》第2页", "内容概述"
    offset: int | None = None  # character offset inside that location
    match: str = ""  # the offending text; personal data is stored masked
    context: str = ""  # the text around it (personal data masked), for showing with the match highlighted
    suggestion: str = ""  # the suggested fix

    @property
    def blocks(self):
        return self.severity == "block"

    def as_dict(self):
        return asdict(self)
