"""互动交流 and public participation (国办发〔2017〕47号 互动交流, 国办秘函〔2019〕19号, 国办发〔2016〕61号 突发事件, 重大行政决策程序暂行条例, 12345 与在线访谈).

- ``ConsultationPage`` (征求意见) is a disclosure item: the 决策草案 with its 说明 and 依据, the comment period
  (≥ 30 days unless a reason is published), channels (online comments, 听证 with its participant list, 座谈),
  the moderated ``ConsultationComment`` rows and, after closing, the 采纳情况 report (``OpinionGroup`` rows). It
  cannot be marked complete until every group is answered and every group not (fully) adopted has a reason;
  the final decision document links back to it (``decision``).
- ``Message`` (留言) is a citizen's message or a 12345 transfer entered by staff, routed to a department, with a
  reply deadline in working days, reminders, and alarms long before the three-month inspection line.
- ``EmergencyIncidentPage`` records an incident with its time of occurrence: the page itself is the first
  authoritative release (due within 5 hours) and records the press conference (due within 24 hours), with a
  timeline of updates, a homepage banner and a one-stage emergency review.
- ``ConcernResponsePage`` (回应关切 / 辟谣) answers a ``ConcernTopic``.
- ``InteractionIndexPage`` is the 互动交流 section: message board, form, and the ``InterviewPage`` archive
  (在线访谈: guests, time, questions collected beforehand, transcript, pictures and video).

One module per record type (``consultations``, ``messages``, ``incidents``, ``concerns``, ``section``,
``interviews``); ``base`` holds what they share. Everything is importable from ``cms.participation.models``.
"""

from .base import (  # noqa: F401
    CODE_ALPHABET,
    add_months,
    masked_sender,
    page_edit_tabs,
)
from .concerns import (  # noqa: F401
    ConcernResponsePage,
    ConcernTopic,
)
from .consultations import (  # noqa: F401
    ConsultationComment,
    ConsultationPage,
    OpinionGroup,
)
from .incidents import (  # noqa: F401
    EmergencyIncidentPage,
    IncidentAlert,
    IncidentUpdate,
)
from .interviews import (  # noqa: F401
    InterviewGuest,
    InterviewPage,
    InterviewPhoto,
    InterviewQuestion,
    TranscriptEntry,
)
from .messages import (  # noqa: F401
    Message,
    MessageAlert,
    default_reply_working_days,
    new_message_code,
)
from .section import (  # noqa: F401
    InteractionIndexPage,
)
