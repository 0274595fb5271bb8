"""行业领域公开 (sector disclosures): 行政执法公示, 重大项目, 公共资源配置, 办事服务, 财政预决算 and the
减税降费 / 降本增效 listing (国办发〔2018〕118号 执法公示, 预算法第十四条, 国办发〔2017〕97号 公共资源配置, 交办办〔2021〕75号 标准指引).

Every disclosed record is a subclass of ``DisclosureItemPage``: it carries the shared metadata (索引号, 发布机构,
发布日期 …), lives in its department's subtree, appears in its column, its feed and the catalogue, passes the
review gate and is indexed by site search. Records that are not disclosures themselves (an enforcement case's
progress, the service catalogue's change log) are plain models. The public entry pages (case lookup, the
generated service lists, the policy theme page) sit under 信息公开.

One module per record type: ``enforcement`` (执法决定, 执法案件, 进度查询), ``services`` (办事服务 and the
generated lists), ``projects`` (重大项目, 公共资源交易), ``budgets`` (部门预决算), ``themes`` (减税降费·降本增效);
``base`` holds what they share. Everything is importable from ``cms.sector.models``.
"""

from .base import (  # noqa: F401
    StructuredRecordMixin,
    deadline_state,
    is_blank_html,
    local_day,
    paragraphs,
    sector_edit_handler,
)
from .budgets import (  # noqa: F401
    THREE_PUBLIC_FIELDS,
    BudgetPage,
)
from .enforcement import (  # noqa: F401
    CaseLookupPage,
    EnforcementCase,
    EnforcementCaseQuerySet,
    EnforcementDecisionPage,
    _new_verification_code,  # the default of EnforcementCase.verification_code in migrations
    normalize_case_number,
)
from .projects import (  # noqa: F401
    DealPage,
    DealStage,
    ProjectApproval,
    ProjectMilestone,
    ProjectPage,
    ProjectProgress,
)
from .services import (  # noqa: F401
    ServiceChange,
    ServiceItemPage,
    ServiceListPage,
)
from .themes import (  # noqa: F401
    PolicyThemePage,
)
