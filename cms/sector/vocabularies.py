"""Controlled vocabularies of the sector disclosures (国办发〔2018〕118号 执法公示, 预算法第十四条, 国办发〔2017〕97号 公共资源配置, 交办办〔2021〕75号 标准指引)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionKind(models.TextChoices):
    """双公示: 行政许可 and 行政处罚 decisions."""

    PENALTY = "penalty", _("行政处罚")
    LICENSE = "license", _("行政许可")


class PartyType(models.TextChoices):
    """当事人类别. A natural person's name is never published (张某某); an organisation's name is."""

    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人或其他组织")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")


class Revocation(models.TextChoices):
    """Why a decision leaves the 公示 (国办发〔2018〕118号): revoked, found unlawful, or to be made again."""

    REVOKED = "revoked", _("撤销")
    UNLAWFUL = "unlawful", _("确认违法")
    REMADE = "remade", _("要求重新作出")


class CaseStage(models.TextChoices):
    """The stages of an enforcement case, in order (执法进度实时查询)."""

    ACCEPTED = "accepted", _("受理")
    INVESTIGATED = "investigated", _("调查")
    NOTIFIED = "notified", _("告知")
    DECIDED = "decided", _("决定")
    EXECUTED = "executed", _("执行")
    CLOSED = "closed", _("结案")


# The date field of EnforcementCase recording each stage.
CASE_STAGE_FIELDS = {
    CaseStage.ACCEPTED: "accepted_on",
    CaseStage.INVESTIGATED: "investigated_on",
    CaseStage.NOTIFIED: "notified_on",
    CaseStage.DECIDED: "decided_on",
    CaseStage.EXECUTED: "executed_on",
    CaseStage.CLOSED: "closed_on",
}


class ServiceList(models.TextChoices):
    POWER = "power", _("权力清单")
    RESPONSIBILITY = "responsibility", _("责任清单")


class ServiceType(models.TextChoices):
    """事项类型, the same at 省/市/县 level (三级四同)."""

    LICENSE = "xzxk", _("行政许可")
    PENALTY = "xzcf", _("行政处罚")
    COERCION = "xzqz", _("行政强制")
    LEVY = "xzzs", _("行政征收")
    PAYMENT = "xzgf", _("行政给付")
    INSPECTION = "xzjc", _("行政检查")
    CONFIRMATION = "xzqr", _("行政确认")
    REWARD = "xzjl", _("行政奖励")
    ADJUDICATION = "xzcj", _("行政裁决")
    OTHER_POWER = "qtql", _("其他行政权力")
    PUBLIC_SERVICE = "ggfw", _("公共服务")


class ServiceListKind(models.TextChoices):
    """The public lists generated from the service items' flags."""

    NO_VISIT = "no_visit", _("不见面清单")
    ONE_VISIT = "one_visit", _("见一次面清单")
    ALL = "all", _("全部服务事项")


class ServiceChangeKind(models.TextChoices):
    ADDED = "added", _("新增")
    CHANGED = "changed", _("调整")
    REMOVED = "removed", _("取消")


class DealKind(models.TextChoices):
    CONSTRUCTION = "construction", _("工程建设项目招标投标")
    PROCUREMENT = "procurement", _("政府采购")
    PROPERTY = "property", _("国有产权交易")
    OTHER = "other", _("其他公共资源交易")


class DealStageKind(models.TextChoices):
    """The five stages of a public resource deal, in order (国办发〔2017〕97号)."""

    NOTICE = "notice", _("交易公告")
    QUALIFICATION = "qualification", _("资格审查结果")
    PROCESS = "process", _("交易过程")
    RESULT = "result", _("成交信息")
    PERFORMANCE = "performance", _("合同履约信息")


class ApprovalKind(models.TextChoices):
    """Approvals of a 公路水运 project published under 双公示 (江苏省交通运输厅, 2019-10-09 notice)."""

    DESIGN = "design", _("设计审批")
    CONSTRUCTION = "construction", _("施工许可")
    DESIGN_CHANGE = "design_change", _("重大设计变更")
    ACCEPTANCE = "acceptance", _("竣工验收")
    FINAL_ACCOUNT = "final_account", _("竣工决算")


class BudgetKind(models.TextChoices):
    BUDGET = "budget", _("部门预算")
    FINAL_ACCOUNT = "final", _("部门决算")


class DeadlineState(models.TextChoices):
    """How an item stands against its publication deadline (shown to editors)."""

    ON_TIME = "on_time", _("按时公开")
    LATE = "late", _("逾期公开")
    DUE = "due", _("待公开")
    OVERDUE = "overdue", _("已逾期未公开")
