"""The demo district's goals and ISD content: allotments by bargaining unit, the goals people
write and the learning they ask ISD for. `demo.py` builds them through the services."""

from decimal import Decimal

D = Decimal
ALLOTMENTS = [("", D(0), D(0)), ("Certificated", D(1500), D(30)), ("Classified", D(500), D(12))]
ALLOTMENTS += [("Administrators", D(2000), D(20))]
GOALS = [
    (
        "Guided reading groups in every unit",
        "My 9th graders below benchmark read grade-level texts with support.",
        "Literacy institute; PLC work on student writing; two coaching cycles.",
        "Screener growth of 10 points for my intervention students.",
    ),
    (
        "Tasks every student can start",
        "Open-middle tasks in each unit so every student starts and is stretched.",
        "Book study on mathematical tasks; observe a colleague twice.",
        "Common-assessment problem-solving scores up 10 points.",
    ),
    (
        "Know every student by name and story",
        "Every student in my advisory has a trusted adult conversation each month.",
        "Restorative practices workshop; advisory PLC.",
        "Advisory survey: 90% say an adult knows them.",
    ),
]
REQUESTS = [
    ("conference", "CA Reading & Literacy Conference", "CRA", D("395"), D(12)),
    ("course", "AVID Summer Institute", "AVID", D("925"), D(24)),
    ("course", "Kagan Cooperative Learning, day 1", "Kagan", D("249"), D(6)),
    ("conference", "CUE Spring Conference", "CUE", D("335"), D(12)),
    ("materials", "Classroom library: graphic novels", "Bookshop", D("180"), D(0)),
    ("course", "Restorative Practices workshop", "IIRP", D("150"), D(6)),
]
