"""A probe for confidential text, run by cadre/tests/test_demo.py on the demo's two districts.

It writes a marker of its own into every confidential record (each row its own marker, so a
marker names the row and who may read it), then signs in as the demo's people of both
districts and fetches every URL pattern of the site and the API, one object per pattern:
pages, API lists and details, CSV, XLSX and PDF exports, calendar feeds and the audit log. A
marker that reaches anyone outside its record's pair is a leak, and the probe fails naming the
URL, the person and the record.

The URLs come from Django's resolver, not a hand list: a new page or API resource is crawled
from the day it is added. Path parameters are filled with real ids: a model's id where one of
its rows reverses to that pattern (`get_absolute_url`), the API viewset's model, else the demo
teacher's staff id (most other ids in the site's paths are people's).
"""

import contextlib
import io
import re
import uuid
import zlib
from dataclasses import dataclass

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django_scopes import scopes_disabled

from cadre.catalog.models import CalendarFeed, Completion
from cadre.coaching.models import Cycle, Observation, Rating, Visit
from cadre.coaching.services import cycles
from cadre.districts.models import District, Staff
from cadre.mentoring import services as mentoring
from cadre.mentoring.models import Log, Match
from cadre.planning.models import NeedsAssessment


@dataclass(frozen=True)
class Confidential:
    """A record whose `fields` only the people at `readers` (staff ids) may read."""

    model: type
    fields: tuple[str, ...]
    readers: tuple[str, ...]


# Every confidential record type, in one place: a new one joins this list. Small groups are
# not confidential (their members' and leaders' business: cadre/collaboration/rules.py), nor
# are professional goals (the person's and their supervisor's).
CONFIDENTIAL = [
    Confidential(
        Cycle,
        ("goal", "pre_conference_notes", "debrief_notes", "reflection"),
        ("coach_id", "teacher_id"),
    ),
    Confidential(
        Observation,
        ("focus", "notes", "strengths", "next_steps", "teacher_comment"),
        ("observer_id", "teacher_id"),
    ),
    Confidential(Rating, ("evidence",), ("observation__observer_id", "observation__teacher_id")),
    Confidential(Visit, ("focus", "response"), ("visitor_id", "host_id")),
    Confidential(
        Log, ("focus", "next_steps", "reflection"), ("match__mentor__staff_id", "match__mentee_id")
    ),
]

# Who crawls: a demo account of every role of the first district (the counselor and the
# paraeducator see what any teacher sees), and the other district's administrator and teacher.
FIRST = [
    "admin",
    "principal",
    "ap",
    "director",
    "business",
    "coach",
    "teacher",
    "newteacher",
    "coordinator",
    "mentor",
]
SECOND = ["admin", "teacher"]

# Patterns with no district data behind them: the API's description and its catch-all 404.
SKIP = {"api-schema", "api-docs", "api:api-root", "api:not-found"}
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


class Markers:
    def __init__(self, district: District):
        self.tag = f"PROBE{uuid.uuid4().hex[:8]}"
        self.pattern = re.compile(rf"{self.tag}([a-z]+)(\d+)x")
        self.readers: dict[tuple[str, int], set[int]] = {}  # (model, pk) -> staff ids
        self.district = district

    def marker(self, model: type, pk: int) -> str:
        return f"{self.tag}{model._meta.model_name}{pk}x"

    def plant(self) -> None:
        """A marker in every confidential field of every row, in both districts."""
        for kind in CONFIDENTIAL:
            rows = kind.model._base_manager.all()
            token = Concat(
                Value(f"{self.tag}{kind.model._meta.model_name}"),
                Cast("pk", CharField()),
                Value("x"),
                output_field=CharField(),
            )
            rows.update(**{name: token for name in kind.fields})
            for pk, *people in rows.values_list("pk", *kind.readers):
                self.readers[(kind.model._meta.model_name, pk)] = set(people)

    def found(self, text: str) -> set[tuple[str, int]]:
        return {(m, int(pk)) for m, pk in self.pattern.findall(text)}


def _text(response) -> str:
    """What a response shows, as text: pages, JSON, CSV and calendars as they are; a
    workbook's cells; a PDF's content streams, inflated."""
    body = b"".join(response.streaming_content) if response.streaming else bytes(response.content)
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            " ".join(str(v) for v in row if v is not None)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if "pdf" in kind:
        parts = [body]
        for stream in PDF_STREAM.findall(body):
            with contextlib.suppress(zlib.error):
                parts.append(zlib.decompress(stream))
        return b"\n".join(parts).decode("latin-1")
    return body.decode("utf-8", errors="replace")


def _patterns(resolver=None, prefix=""):
    """(name, pattern) for every named URL pattern, namespaces included."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", entry


def _route_prefix(route: str) -> str:
    """A route up to its id: `coaching/cycles/<int:pk>/edit/` -> `coaching/cycles/<int:pk>`."""
    return route.split("<int:pk>")[0]


class Crawl:
    def __init__(self, client, district: District, teacher: Staff, targets: dict):
        self.client = client
        self.teacher = teacher
        self.by_route: dict[str, int] = {}  # route prefix -> an id
        self.by_model: dict[type, int] = {}
        with scopes_disabled():
            for model in {type(t) for t in targets.values()} | _district_models():
                row = targets.get(model) or (
                    model._base_manager.filter(district=district).order_by("pk").first()
                )
                if row is None:
                    continue
                self.by_model[model] = row.pk
                if hasattr(row, "get_absolute_url"):
                    try:
                        route = resolve(row.get_absolute_url()).route
                    except Exception:  # noqa: S112 (a model without a page of its own)
                        continue
                    self.by_route[_route_prefix(route)] = row.pk
            self.input_token = (
                NeedsAssessment.objects.filter(district=district)
                .exclude(input_token="")
                .values_list("input_token", flat=True)
                .first()
            )
            self.code = (
                Completion.objects.filter(staff=teacher).values_list("code", flat=True).first()
            )

    def urls(self, feed_token: str) -> list[str]:
        out = []
        for name, entry in _patterns():
            params = set(entry.pattern.regex.groupindex)
            # allauth's pages (sign-in, password, two-factor) hold no district data; a format
            # suffix repeats its pattern's data.
            if name in SKIP or name.startswith(("account_", "mfa_")) or "format" in params:
                continue
            kwargs = {}
            for param in params:
                value = self._value(name, entry, param, feed_token)
                if value is None:
                    break
                kwargs[param] = value
            else:
                out.append(reverse(name, kwargs=kwargs))
        return out

    def _value(self, name, entry, param, feed_token):
        if param == "pk":
            view = getattr(entry.callback, "cls", None)
            if view is not None:  # an API viewset: its model
                model = getattr(getattr(view, "queryset", None), "model", None) or getattr(
                    getattr(getattr(view, "serializer_class", None), "Meta", None), "model", None
                )
                return self.by_model.get(model, self.teacher.pk)
            route = str(entry.pattern)
            return next(
                (pk for prefix, pk in self.by_route.items() if route.startswith(prefix)),
                self.teacher.pk,
            )
        if param == "token":
            return feed_token if name == "calendar-feed" else self.input_token
        if param == "code":
            return self.code
        raise AssertionError(
            f"The probe cannot fill <{param}> in {name}: teach cadre/tests/probe.py a value."
        )


def _district_models() -> set[type]:
    from cadre.districts.demo import _district_models

    return set(_district_models())


def _people(slug: str, keys: list[str]) -> list[Staff]:
    with scopes_disabled():
        district = District.objects.get(slug=slug)
        domain = Staff.objects.get(district=district, email__startswith="admin@").email
        domain = domain.split("@")[1]
        return list(
            Staff.objects.select_related("user", "district").filter(
                district=district, email__in=[f"{k}@{domain}" for k in keys]
            )
        )


def _plant_through_services(first: list[Staff], markers: Markers) -> None:
    """Write one cycle's notes and one contact log the way people do, so that the audit log
    is crawled with what the services record when content is written. (The log is new: its
    marker carries id 0.)"""
    people = {s.email.split("@")[0]: s for s in first}
    coach, mentor = people["coach"], people["mentor"]
    with scopes_disabled():
        cycle = Cycle.objects.filter(coach=coach).exclude(stage=Cycle.Stage.CLOSED).first()
        cycles.cycle_update(
            cycle=cycle,
            actor=coach.user,
            data={"debrief_notes": f"{markers.marker(Cycle, cycle.pk)} written by the coach"},
        )
        match = Match.objects.filter(mentor__staff=mentor, status=Match.Status.ACTIVE).first()
        mentoring.log_create(
            match=match,
            actor=mentor.user,
            data={
                "met_on": match.district.today(),
                "minutes": 30,
                "kind": Log.Kind.PLANNING,
                "focus": markers.marker(Log, 0),
                "next_steps": markers.marker(Log, 0),
            },
        )
        markers.readers[("log", 0)] = {mentor.pk, match.mentee_id}


def check(client, first: str, second: str, **_):
    """No confidential marker reaches anyone outside its record's pair, on any page, API
    response, export, calendar feed or the audit log, in either district."""
    with scopes_disabled():
        district = District.objects.get(slug=first)
    markers = Markers(district)
    markers.plant()
    one, two = _people(first, FIRST), _people(second, SECOND)
    _plant_through_services(one, markers)
    people = {s.email.split("@")[0]: s for s in one}
    teacher, coach, mentor = people["teacher"], people["coach"], people["mentor"]
    with scopes_disabled():
        targets = {
            Staff: teacher,
            Cycle: Cycle.objects.filter(coach=coach, teacher=teacher).first(),
            Observation: Observation.objects.filter(teacher=teacher)
            .exclude(status=Observation.Status.DRAFT)
            .first(),
            Rating: Rating.objects.filter(observation__teacher=teacher).first(),
            Visit: Visit.objects.filter(visitor=teacher).first()
            or Visit.objects.filter(host=teacher).first(),
            Log: Log.objects.filter(match__mentor__staff=mentor).first(),
            Match: Match.objects.filter(mentor__staff=mentor).first(),
        }
        targets = {model: row for model, row in targets.items() if row is not None}
    crawl = Crawl(client, district, teacher, targets)

    leaks, seen, fetched = [], set(), 0
    post_only: set[str] = set()  # answered 405 to a GET: an action, for nobody to read
    for person in one + two:
        with scopes_disabled():
            feed, _ = CalendarFeed.objects.get_or_create(
                staff=person, defaults={"district": person.district}
            )
        client.force_login(person.user)
        for url in crawl.urls(feed.token):
            if url in post_only:
                continue
            response = client.get(url)
            fetched += 1
            if response.status_code == 405:
                post_only.add(url)
            for model, pk in markers.found(_text(response)):
                if person.pk in markers.readers.get((model, pk), ()):
                    seen.add(model)
                else:
                    leaks.append(f"{url} showed {person.email} the {model} #{pk}")
        client.logout()
    assert not leaks, f"{len(leaks)} leaks:\n" + "\n".join(sorted(set(leaks))[:40])
    # The probe reads what it must: each pair sees its own records somewhere.
    wanted = {kind.model._meta.model_name for kind in CONFIDENTIAL}
    assert seen == wanted, f"The pairs never saw their own {sorted(wanted - seen)}"
    return fetched
