"""The models of the `council` Django app: the core's (organisations, periods, profiles, reports)
and those of its parts (the section base and data version of the framework, 資料7, meetings)."""

from council.dx.models import DXStructure
from council.framework.models import DataVersion, ImportStash, Target
from council.framework.sections import ReportSection
from council.meetings.models import ActionItem, AgendaItem, Material, Meeting, Opinion
from council.models.municipality import (
    Municipality,
    local_government_check_digit,
    validate_local_government_code,
)
from council.models.notice import Notice, OutboxMail, ReminderLog
from council.models.period import ReportingPeriod, quarter_bounds
from council.models.profile import Profile, Role
from council.models.report import (
    EDITABLE_STATUSES,
    ByNameManager,
    ReportEvent,
    ReportStatus,
    StatusReport,
)

__all__ = [
    "ActionItem",
    "AgendaItem",
    "Material",
    "Meeting",
    "Opinion",
    "ByNameManager",
    "DataVersion",
    "DXStructure",
    "EDITABLE_STATUSES",
    "ImportStash",
    "Municipality",
    "Notice",
    "OutboxMail",
    "Profile",
    "ReportEvent",
    "ReportSection",
    "Target",
    "ReportStatus",
    "ReportingPeriod",
    "ReminderLog",
    "Role",
    "StatusReport",
    "local_government_check_digit",
    "quarter_bounds",
    "validate_local_government_code",
]
