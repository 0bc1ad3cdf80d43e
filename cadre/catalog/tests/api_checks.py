"""The catalog API's contract, for the shared checks (cadre/tests/test_api_checks.py).

In district A of the `world`: `partner`, a published `offering` with `session` (one
`meeting`) where the teacher is registered (`registration`), the principal's
`session_assignment`, the teacher's `attendance`, `completion` and `external_hours`. Each
resource's own tests (test_*_api.py beside this file) pin its filters, bad bodies and query
counts; the shared checks add anonymous callers, bad ids, pages past the end and outsiders.
"""

from cadre.tests.api_checks import Resource

RESOURCES = {
    "partners": Resource(obj="partner"),
    "offerings": Resource(obj="offering"),
    "sessions": Resource(obj="session"),
    "meetings": Resource(obj="meeting"),
    "registrations": Resource(obj="registration"),
    "session-assignments": Resource(obj="session_assignment"),
    "attendance": Resource(obj="attendance"),
    "completions": Resource(obj="completion"),
    "transcripts": Resource(),
    "external-hours": Resource(obj="external_hours"),
}
