"""Permission rows for the transcript and external-hours pages (see
cadre/tests/permission_table.py).

In district A the teacher works at the principal's school and entered `external_hours`
(submitted, with a PDF certificate); the program teacher is on the director's program staff.
A transcript is seen by whoever sees the person: themselves, their principal, their program's
director and the admin; anyone else gets 404. The teacher's principal and the admin decide the
teacher's hours; only the teacher corrects, resubmits or withdraws them. A step the state
forbids, or a successful one, sends the person back to the entry (302); an empty form is a 400.
"""

from cadre.tests.permission_table import BAD, FORBIDDEN, FOUND, MISSING, Row, others, page

TEACHERS = page(director=MISSING)  # the teacher, their principal and the admin
PROGRAM = page(teacher=MISSING, principal=MISSING)  # the program teacher's: director, admin
OUTSIDE = page(teacher=MISSING, principal=MISSING, director=MISSING)  # other school: admin


def author(ok=FOUND):
    """Only the author acts; their principal and the admin see the entry but may not (403)."""
    return page(teacher=ok, principal=FORBIDDEN, director=MISSING, admin=FORBIDDEN)


def decider(ok=FOUND):
    """The principal and the admin decide; the author may not (403)."""
    return page(teacher=FORBIDDEN, principal=ok, director=MISSING, admin=ok)


ROWS = [
    # --- the transcript
    Row("transcript", page()),
    Row("transcript", page(), query="year=abc"),
    Row("transcript-csv", page()),
    Row("transcript-csv", page(), query="year=0"),
    Row("transcript-pdf", page()),
    Row("staff-transcript", TEACHERS, obj="teacher", more=others()),
    Row("staff-transcript", PROGRAM, obj="program_teacher"),
    Row("staff-transcript", OUTSIDE, obj="other_teacher"),
    Row("staff-transcript-csv", TEACHERS, obj="teacher", more=others()),
    Row("staff-transcript-csv", PROGRAM, obj="program_teacher"),
    Row("staff-transcript-pdf", TEACHERS, obj="teacher", more=others()),
    Row("staff-transcript-pdf", OUTSIDE, obj="other_teacher"),
    # --- external hours
    Row("external-hours-list", page()),
    Row("external-hours-list", page(), query="status=nope&year=x&page=zz"),
    Row("external-hours-create", page()),
    Row(
        "external-hours-create",
        page(teacher=BAD, principal=BAD, director=BAD, admin=BAD),
        method="post",
    ),
    Row("external-hours-queue", page(teacher=FORBIDDEN)),
    Row("external-hours-detail", TEACHERS, obj="external_hours", more=others()),
    Row("external-hours-file", TEACHERS, obj="external_hours", more=others()),
    # Submitted: the author is sent back to the entry to withdraw it first.
    Row("external-hours-edit", author(), obj="external_hours", more=others()),
    Row("external-hours-submit", author(), obj="external_hours", method="post", more=others()),
    Row("external-hours-withdraw", author(), obj="external_hours", method="post", more=others()),
    Row("external-hours-approve", decider(), obj="external_hours", method="post", more=others()),
    Row("external-hours-return", decider(BAD), obj="external_hours", method="post", more=others()),
    Row(
        "external-hours-return",
        decider(),
        obj="external_hours",
        method="post",
        data={"comment": "Attach the certificate."},
        more=others(),
    ),
]
