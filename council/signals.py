"""The report workflow's signals (sent by `council.services`), for the parts and apps whose data
follow it: the dashboard cache, 資料3's participation requests."""

from django.dispatch import Signal

#: sent after commit whenever a report's status changes: sender=StatusReport, report=, action=
#: (a `ReportEvent.Action`: submit, return, approve, reopen, withdraw)
report_status_changed = Signal()
#: sent inside the transaction of a status change, for apps whose data follows the workflow (e.g. a
#: request in the report applied on approval); a receiver's exception undoes the whole change
report_transitioning = Signal()
#: sent after commit when someone comments on a report: sender=StatusReport, report=, comment= the
#: thread's ReportEvent (its `user` and its `comment` text)
#: (the `ReportEvent` of action "comment": its `comment` text, its `user` the author, its `at`). A
#: return's reason is announced with the return (`report_status_changed`), not here.
report_commented = Signal()
