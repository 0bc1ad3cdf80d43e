from datetime import timedelta

import pytest
from django.db import OperationalError
from django.urls import reverse

from cadre.coaching import factories, homes
from cadre.coaching.models import (
    Component,
    Cycle,
    LookForItem,
    Mark,
    Observation,
    Rating,
    Rubric,
    Visit,
)
from cadre.coaching.services import cycles, observations
from cadre.districts.access import actor_for
from cadre.tests.kit import login, text, url

pytestmark = pytest.mark.django_db
GOAL = "More students explain their thinking in discussion"  # the world cycle's, the pair's
NOTES = "Wait time grew from 1 s to 3 s"  # the world's coaching observation


def _draft(o, **kwargs):
    return observations.observation_create(
        district=o["school"].district,
        actor=o["coach"].user,
        kind=Observation.Kind.COACHING,
        observer=o["coach"],
        cycle=o["cycle"],
        rubric=o["rubric"],
        look_for=o["look_for"],
        **kwargs,
    )


# --- the tablet form -----------------------------------------------------------------------


def test_the_tablet_form_renders_big_targets_that_autosave(client, o):
    draft = _draft(o)
    body = text(login(client, o["coach"]).get(url("observation-edit", draft)))
    assert f'hx-post="{url("observation-autosave", draft)}"' in body
    # A tap saves at once; typing (and dictation, which sends no keyup) after a pause.
    assert 'hx-trigger="change, keyup changed delay:800ms, input changed delay:800ms"' in body
    assert 'id="save-status"' in body and 'aria-live="polite"' in body
    assert "Non-evaluative: support, not evaluation" in body
    assert "js/coaching-observation.js" in body and "css/coaching.css" in body
    # Levels 1–4 with their descriptors visible, and a way back to "not rated".
    component = o["component"]
    assert body.count(f'name="rating_{component.pk}"') == 5
    assert "Proficient practice in questioning and discussion" in body
    assert 'class="level-option"' in body and "Not rated" in body
    # Each look-for item as seen / not seen toggles.
    item = o["look_for_item"]
    assert body.count(f'name="mark_{item.pk}"') == 3
    assert "✓ Seen" in body and "✗ Not seen" in body
    # Without JavaScript, Save posts the form; Share posts it to the share step.
    assert f'action="{url("observation-edit", draft)}"' in body
    assert f'formaction="{url("observation-share", draft)}"' in body


def test_autosave_saves_each_kind_of_field_and_answers_the_fragment(client, o):
    draft = _draft(o)
    login(client, o["coach"])
    autosave = url("observation-autosave", draft)
    yesterday = o["school"].district.today() - timedelta(days=1)
    component, item = o["component"], o["look_for_item"]
    for data in (
        {"notes": "Cold call, then wait"},
        {"strengths": "Warm tone", "next_steps": "Try turn-and-talk", "focus": "Questions"},
        {"observed_on": yesterday.isoformat()},
        {f"rating_{component.pk}": "2"},
        {f"evidence_{component.pk}": "Two why-questions"},
        {f"mark_{item.pk}": "1"},
    ):
        response = client.post(autosave, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, text(response)
        assert text(response).startswith("Saved at ")
        assert response["X-Autosave"] == "1"  # the page swaps only the endpoint's answers
    draft.refresh_from_db()
    assert draft.notes == "Cold call, then wait" and draft.next_steps == "Try turn-and-talk"
    assert draft.observed_on == yesterday and draft.focus == "Questions"
    rating = Rating.objects.get(observation=draft)
    assert (rating.level, rating.evidence) == (2, "Two why-questions")
    assert Mark.objects.get(observation=draft).seen is True
    client.post(autosave, {f"mark_{item.pk}": "", f"rating_{component.pk}": ""})
    assert not Mark.objects.filter(observation=draft).exists()
    assert Rating.objects.get(observation=draft).level is None  # the evidence stays


@pytest.mark.parametrize(
    "data",
    [
        {"observed_on": "31/02/2026"},
        {"observed_on": ""},
        {"rating_COMPONENT": "7"},
        {"mark_ITEM": "maybe"},
        {"rating_99999999": "2"},
        {"mark_99999999999999999999": "1"},
        {"notes": "x" * 20_001},
    ],
)
def test_autosave_refuses_bad_input_with_a_message_never_a_500(client, o, data):
    draft = _draft(o)
    data = {
        k.replace("COMPONENT", str(o["component"].pk)).replace(
            "ITEM", str(o["look_for_item"].pk)
        ): v
        for k, v in data.items()
    }
    response = login(client, o["coach"]).post(url("observation-autosave", draft), data)
    assert response.status_code == 400
    assert "Not saved." in text(response) and 'class="save-error"' in text(response)


def test_a_locked_database_is_a_busy_answer_never_a_500(client, o, monkeypatch):
    draft = _draft(o)

    def locked(**kwargs):
        raise OperationalError("database table is locked")

    monkeypatch.setattr(observations, "observation_autosave", locked)
    monkeypatch.setattr(observations, "observation_share", locked)
    login(client, o["coach"])
    response = client.post(url("observation-autosave", draft), {"notes": "Cold call"})
    assert response.status_code == 503 and response["X-Autosave"] == "1"
    assert "Not saved: the server was busy" in text(response)
    shared = client.post(url("observation-share", draft), follow=True)
    assert shared.status_code == 200 and "nothing was shared" in text(shared)

    def broken(**kwargs):
        raise OperationalError("no such table: coaching_observation")

    monkeypatch.setattr(observations, "observation_autosave", broken)
    with pytest.raises(OperationalError):  # other database errors are not hidden
        client.post(url("observation-autosave", draft), {"notes": "Cold call"})


def test_autosave_answers_409_once_shared_and_403_or_404_to_others(client, o):
    draft = _draft(o)
    response = login(client, o["coach"]).post(
        url("observation-autosave", o["observation"]), {"notes": "late"}
    )
    assert response.status_code == 409 and "shared" in text(response)
    assert login(client, o["teacher"]).post(url("observation-autosave", draft)).status_code == 404
    assert (
        login(client, o["teacher"])
        .post(url("observation-autosave", o["observation"]), {"notes": "mine"})
        .status_code
        == 403
    )
    o["observation"].refresh_from_db()
    assert o["observation"].notes.startswith(NOTES) and "mine" not in o["observation"].notes


def test_without_javascript_save_posts_the_whole_form(client, o):
    draft = _draft(o)
    login(client, o["coach"])
    data = {
        "observed_on": o["school"].district.today().isoformat(),
        "focus": "Discussion",
        "notes": "Students built on each other",
        "strengths": "",
        "next_steps": "",
        f"rating_{o['component'].pk}": "4",
        f"evidence_{o['component'].pk}": "",
        f"mark_{o['look_for_item'].pk}": "0",
    }
    response = client.post(url("observation-edit", draft), data, follow=True)
    assert response.redirect_chain[-1][0] == url("observation-edit", draft)
    assert "Saved at" in text(response)
    draft.refresh_from_db()
    assert draft.notes == "Students built on each other"
    assert Rating.objects.get(observation=draft).level == 4
    bad = client.post(url("observation-edit", draft), {**data, "observed_on": "nope"})
    assert bad.status_code == 400 and 'role="alert"' in text(bad)
    assert "Students built on each other" in text(bad)  # nothing typed is lost


def test_share_from_the_tablet_saves_what_was_typed_first(client, o):
    draft = _draft(o)
    login(client, o["coach"])
    response = client.post(url("observation-share", draft), {"notes": "Typed just now"})
    assert response.status_code == 302 and response.url == url("observation-detail", draft)
    draft.refresh_from_db()
    assert draft.status == Observation.Status.SHARED and draft.notes == "Typed just now"
    assert client.get(url("observation-edit", draft)).status_code == 302  # no longer changes


def test_a_walkthrough_with_unmarked_items_is_not_shared(client, o):
    walk = observations.observation_create(
        district=o["school"].district,
        actor=o["principal"].user,
        kind=Observation.Kind.WALKTHROUGH,
        observer=o["principal"],
        teacher=o["teacher"],
        look_for=o["look_for"],
    )
    login(client, o["principal"])
    response = client.post(
        url("observation-share", walk), {f"mark_{o['look_for_item'].pk}": "1"}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("observation-edit", walk)
    assert "observation.unmarked" in text(response) and "2 left" in text(response)
    walk.refresh_from_db()
    assert walk.status == Observation.Status.DRAFT
    assert Mark.objects.filter(observation=walk).count() == 1


# --- read, comment, acknowledge -------------------------------------------------------------


def test_the_teacher_reads_comments_and_acknowledges(client, o):
    observation = o["observation"]
    login(client, o["teacher"])
    body = text(client.get(url("observation-detail", observation)))
    assert "Non-evaluative: support, not evaluation" in body
    assert NOTES in body and "3 · Proficient" in body
    assert url("observation-acknowledge", observation) in body
    response = client.post(
        url("observation-acknowledge", observation), {"comment": "I will keep waiting"}, follow=True
    )
    assert "Acknowledged" in text(response)
    observation.refresh_from_db()
    assert observation.status == Observation.Status.ACKNOWLEDGED
    body = text(login(client, o["coach"]).get(url("observation-detail", observation)))
    assert "I will keep waiting" in body and "acknowledged it on" in body
    again = login(client, o["teacher"]).post(
        url("observation-acknowledge", observation), follow=True
    )
    assert "observation.not_shared" in text(again)


def test_a_too_long_comment_shows_inline(client, o):
    response = login(client, o["teacher"]).post(
        url("observation-acknowledge", o["observation"]), {"comment": "x" * 5001}
    )
    assert response.status_code == 400 and 'role="alert"' in text(response)


def test_a_draft_is_the_observers_alone(client, o):
    draft = _draft(o, focus="Draft focus")
    assert login(client, o["teacher"]).get(url("observation-detail", draft)).status_code == 404
    assert login(client, o["coach"]).get(url("observation-detail", draft)).status_code == 200


# --- cycles --------------------------------------------------------------------------------


def test_a_coach_runs_a_cycle_from_its_pages(client, o):
    login(client, o["coach"])
    form = client.get(url("coaching-cycle-create"))
    assert form.status_code == 200 and "Choose the teacher first" in text(form)
    picked = client.get(url("coaching-cycle-create") + f"?teacher={o['teacher'].pk}")
    assert o["professional_goal"].title in text(picked)
    assert o["program_goal"].title not in text(picked)  # only the teacher's own goals
    response = client.post(
        url("coaching-cycle-create") + f"?teacher={o['teacher'].pk}",
        {
            "goal": "Use exit tickets daily",
            "professional_goal": o["professional_goal"].pk,
            "is_virtual": "on",
            "video_link": "https://meet.example.org/room",
        },
    )
    cycle = Cycle.objects.exclude(pk=o["cycle"].pk).get(coach=o["coach"])
    assert response.status_code == 302 and response.url == url("coaching-cycle-detail", cycle)
    body = text(client.get(response.url))
    assert "Join the video call" in body and "https://meet.example.org/room" in body
    assert 'aria-current="step"' in body and "Move on to pre-conference" in body
    for _ in range(2):
        client.post(url("coaching-cycle-advance", cycle))
    client.post(url("coaching-cycle-advance", cycle), {"back": "1"})
    cycle.refresh_from_db()
    assert cycle.stage == Cycle.Stage.PRE_CONFERENCE
    start = client.get(url("observation-create") + f"?cycle={cycle.pk}")
    assert start.status_code == 200 and "Observe" in text(start)
    made = client.post(
        url("observation-create") + f"?cycle={cycle.pk}",
        {"observed_on": o["school"].district.today().isoformat(), "rubric": o["rubric"].pk},
    )
    observation = Observation.objects.get(cycle=cycle)
    assert made.url == url("observation-edit", observation)
    edit = client.post(
        url("coaching-cycle-edit", cycle),
        {"goal": "Use exit tickets daily", "debrief_notes": "Sorted by misconception"},
    )
    assert edit.status_code == 302
    cycle.refresh_from_db()
    assert cycle.debrief_notes == "Sorted by misconception" and not cycle.is_virtual


def test_the_cycle_history_names_stages_and_dates_in_words(client, o):
    login(client, o["coach"])
    started = o["school"].district.today()
    response = client.post(
        url("coaching-cycle-create") + f"?teacher={o['other_teacher'].pk}",
        {"goal": "Use exit tickets daily"},
        follow=True,
    )
    cycle = Cycle.objects.get(coach=o["coach"], teacher=o["other_teacher"])
    on = f"{started.day} {started:%B %Y}"  # e.g. 3 December 2026, never 2026-12-03
    assert f"Saved Coaching cycle of {on}." in text(response)
    client.post(url("coaching-cycle-advance", cycle))
    body = text(client.get(url("coaching-cycle-detail", cycle)))
    assert "Goal-setting → Pre-conference" in body
    assert "goal_setting" not in body and "pre_conference" not in body
    assert f"Created Coaching cycle of {on}" in body and started.isoformat() not in body


def test_cycle_refusals_show_inline(client, o):
    login(client, o["coach"])
    response = client.post(
        url("coaching-cycle-create"),
        {
            "teacher": o["other_teacher"].pk,
            "goal": "x",
            "is_virtual": "on",
            "video_link": "http://x.org",
        },
    )
    assert response.status_code == 400 and "cycle.video_link" in text(response)
    response = client.post(url("coaching-cycle-create"), {"teacher": o["coach"].pk, "goal": "x"})
    assert response.status_code == 400  # not among the choices


def test_the_teacher_reads_the_cycle_and_reflects(client, o):
    login(client, o["teacher"])
    body = text(client.get(url("coaching-cycle-detail", o["cycle"])))
    assert GOAL in body and "Focus on wait time" in body
    assert "Move on to" not in body and "Save your reflection" in body
    response = client.post(url("coaching-cycle-reflect", o["cycle"]), {"reflection": "Slower"})
    assert response.status_code == 302
    o["cycle"].refresh_from_db()
    assert o["cycle"].reflection == "Slower"
    assert client.post(url("coaching-cycle-advance", o["cycle"])).status_code == 403


def test_a_closed_cycle_says_so_instead_of_changing(client, o):
    Cycle.objects.filter(pk=o["cycle"].pk).update(stage=Cycle.Stage.CLOSED)
    login(client, o["coach"])
    assert client.get(url("coaching-cycle-edit", o["cycle"])).status_code == 302
    response = client.post(url("coaching-cycle-advance", o["cycle"]), follow=True)
    assert "cycle.closed" in text(response)


@pytest.mark.parametrize("who", ["principal", "director", "admin"])
def test_leaders_see_counts_never_the_content(client, o, who):
    login(client, o[who])
    body = text(client.get(url("coaching-overview")))
    assert "Counts and dates only" in body
    assert GOAL not in body and NOTES not in body and "wait time" not in body.lower()
    assert o["teacher"].full_name not in body
    assert client.get(url("coaching-cycle-detail", o["cycle"])).status_code == 404
    assert client.get(url("observation-detail", o["observation"])).status_code == 404


def test_the_overview_page_has_a_table_and_a_chart(client, o):
    body = text(login(client, o["principal"]).get(url("coaching-overview")))
    assert o["school"].name in body and o["coach"].full_name in body
    assert '<svg role="img"' in body and "<table" in body


def test_the_audit_log_shows_no_coaching_content(client, o):
    cycles.cycle_update(
        cycle=o["cycle"], actor=o["coach"].user, data={"debrief_notes": "Private debrief words"}
    )
    body = text(login(client, o["admin"]).get(reverse("audit-list")))
    assert "Private debrief words" not in body and GOAL not in body
    assert "Coaching cycle of" in body  # that it changed, not what was written


# --- walkthroughs and implementation ---------------------------------------------------------


def test_a_principal_starts_a_walkthrough_from_a_look_for(client, o):
    login(client, o["principal"])
    detail = text(client.get(url("look-for-detail", o["look_for"])))
    assert "Start a walkthrough with it" in detail
    start = client.get(url("observation-create") + f"?kind=walkthrough&look_for={o['look_for'].pk}")
    assert start.status_code == 200 and o["teacher"].full_name in text(start)
    missing = client.post(
        url("observation-create") + "?kind=walkthrough",
        {"teacher": o["teacher"].pk, "observed_on": o["school"].district.today().isoformat()},
    )
    assert missing.status_code == 400 and 'role="alert"' in text(missing)
    made = client.post(
        url("observation-create") + "?kind=walkthrough",
        {
            "teacher": o["teacher"].pk,
            "look_for": o["look_for"].pk,
            "observed_on": o["school"].district.today().isoformat(),
        },
    )
    walk = Observation.objects.filter(kind="walkthrough", status="draft").get()
    assert made.url == url("observation-edit", walk) and walk.offering == o["offering"]


def test_teachers_start_no_walkthrough(client, o):
    login(client, o["teacher"])
    assert client.get(url("observation-create") + "?kind=walkthrough").status_code == 403
    chooser = text(client.get(url("observation-create")))
    assert "Start a walkthrough" not in chooser and "As a mentor" in chooser
    assert f"?match={o['match'].pk}" in chooser  # the teacher mentors the new teacher


def test_a_mentor_starts_from_the_match(client, o):
    login(client, o["teacher"])
    response = client.post(
        url("observation-create") + f"?match={o['match'].pk}",
        {"observed_on": o["school"].district.today().isoformat()},
    )
    observation = Observation.objects.get(kind="mentor")
    assert response.url == url("observation-edit", observation)
    assert observation.teacher == o["new_teacher"]
    other = login(client, o["new_teacher"]).get(
        url("observation-create") + f"?match={o['match'].pk}"
    )
    assert other.status_code == 403


def test_implementation_suppresses_fewer_than_three_teachers(client, o):
    body = text(login(client, o["principal"]).get(url("implementation")))
    assert "fewer than 3 teachers" in body
    assert "66.7" not in body  # the world's two of three, one teacher


def test_implementation_shows_rates_beside_a_chart(client, o):
    district = o["school"].district
    teachers = [factories.teacher(school=o["school"]) for _ in range(3)]
    for person, seen in zip(
        teachers, ([True, True, False], [True] * 3, [True, False, False]), strict=True
    ):
        factories.walkthrough(
            observer=o["principal"], teacher=person, look_for=o["look_for"], seen=seen
        )
    body = text(login(client, o["admin"]).get(url("implementation") + "?by=offering"))
    # 2 + 2 + 3 + 1 seen of 12 marked (the world's walkthrough of the teacher included): 4 teachers
    assert "66.7%" in body and "4 walkthroughs, 4 teachers" in body
    assert '<svg role="img"' in body and o["offering"].title in body
    by_school = text(client.get(url("implementation") + f"?by=school&school={o['school'].pk}"))
    assert o["school"].name in by_school
    assert district.today().strftime("%b %Y") in by_school


# --- rubrics and look-fors -----------------------------------------------------------------


def test_an_admin_builds_a_rubric_from_its_pages(client, o):
    login(client, o["admin"])
    response = client.post(url("rubric-create"), {"name": "Danielson short", "is_active": "on"})
    rubric = Rubric.objects.get(name="Danielson short")
    assert response.url == url("rubric-edit", rubric)
    client.post(url("rubric-domain-create", rubric), {"name": "Environment"})
    domain = rubric.domains.get()
    form = text(client.get(url("rubric-component-create", domain)))
    assert 'value="Beginning"' in form and "Level 4 descriptor" in form
    data = {"code": "2a", "name": "Respect and rapport"}
    for n, label in enumerate(factories.LABELS, start=1):
        data |= {f"level_{n}_label": label, f"level_{n}_descriptor": f"{label} rapport"}
    client.post(url("rubric-component-create", domain), data)
    component = Component.objects.get(domain=domain)
    assert component.levels.count() == 4
    blank = client.post(url("rubric-component-edit", component), {**data, "level_3_descriptor": ""})
    assert blank.status_code == 400 and 'role="alert"' in text(blank)
    body = text(client.get(url("rubric-detail", rubric)))
    assert "2a Respect and rapport" in body and "Distinguished rapport" in body
    client.post(url("rubric-component-delete", component))
    assert not Component.objects.filter(pk=component.pk).exists()


def test_a_rubric_in_use_refuses_to_lose_components(client, o):
    login(client, o["admin"])
    response = client.post(url("rubric-component-delete", o["component"]), follow=True)
    assert "rubric.in_use" in text(response)
    assert Component.objects.filter(pk=o["component"].pk).exists()


def test_look_for_items_are_added_moved_and_retired_from_the_edit_page(client, o):
    login(client, o["director"])
    look_for = o["look_for"]
    client.post(url("look-for-item-add", look_for), {"text": "Wait time of 3 s"})
    added = LookForItem.objects.get(look_for=look_for, text="Wait time of 3 s")
    client.post(url("look-for-item-move", added), {"direction": "up"})
    order = list(look_for.items.values_list("text", flat=True))
    assert order.index("Wait time of 3 s") == 2
    retired = client.post(url("look-for-item-remove", o["look_for_item"]), follow=True)
    assert "kept for them and retired" in text(retired)
    assert "Bring back" in text(retired)
    client.post(url("look-for-item-remove", added))
    assert not LookForItem.objects.filter(pk=added.pk).exists()
    bad = client.post(url("look-for-item-add", look_for), {"text": ""})
    assert bad.status_code == 400
    client.post(url("look-for-item-edit", o["look_for_item"]), {"restore": "1"})
    o["look_for_item"].refresh_from_db()
    assert o["look_for_item"].is_active


def test_a_look_for_is_created_with_its_items(client, o):
    login(client, o["admin"])
    response = client.post(
        url("look-for-create"),
        {
            "title": "Think-pair-share",
            "strategy": "Discourse",
            "items": "Pairs talk\n\nAll share",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    body = text(client.get(response.url))
    assert "Pairs talk" in body and "All share" in body


# --- peer visits ---------------------------------------------------------------------------


def test_a_peer_visit_from_request_to_observation(client, o):
    login(client, o["other_teacher"])
    on = o["school"].district.today() + timedelta(days=2)
    response = client.post(
        url("peer-visit-create"),
        {"host": o["teacher"].pk, "on": on.isoformat(), "period": "4th", "focus": "Number talks"},
    )
    visit = Visit.objects.get(visitor=o["other_teacher"])
    assert response.url == url("peer-visit-detail", visit)
    login(client, o["teacher"])
    assert "Answer the request" in text(client.get(url("peer-visit-detail", visit)))
    client.post(url("peer-visit-respond", visit), {"decision": "accept", "response": "Welcome"})
    visit.refresh_from_db()
    assert visit.status == Visit.Status.ACCEPTED
    login(client, o["other_teacher"])
    body = text(client.get(url("peer-visit-detail", visit)))
    assert "Record what you saw" in body and "Welcome" in body
    client.post(
        url("observation-create") + f"?visit={visit.pk}",
        {"observed_on": o["school"].district.today().isoformat()},
    )
    visit.refresh_from_db()
    assert visit.observation.kind == Observation.Kind.PEER


def test_a_visit_in_the_past_is_refused_inline(client, o):
    response = login(client, o["other_teacher"]).post(
        url("peer-visit-create"),
        {
            "host": o["teacher"].pk,
            "on": (o["school"].district.today() - timedelta(days=1)).isoformat(),
            "focus": "x",
        },
    )
    assert response.status_code == 400 and "visit.past" in text(response)


# --- homes and navigation ------------------------------------------------------------------


def test_the_home_shows_what_to_act_on(client, o):
    body = text(login(client, o["teacher"]).get(reverse("home")))
    assert "Observations waiting for your acknowledgement" in body
    assert "Visit requests to answer" in body and "Coached by" in body
    assert f'href="{url("coaching-home")}"' in body
    body = text(login(client, o["coach"]).get(url("coaching-home")))
    assert "Coaching " + o["teacher"].full_name in body and "Start a coaching cycle" in body


def test_the_teachers_home_says_her_reflection_is_waiting(client, o):
    login(client, o["teacher"])
    assert "Your reflection is waiting" not in text(client.get(reverse("home")))  # observation
    Cycle.objects.filter(pk=o["cycle"].pk).update(stage=Cycle.Stage.REFLECTION)
    body = text(client.get(reverse("home")))
    assert "Your reflection is waiting" in body
    assert f'href="{url("coaching-cycle-detail", o["cycle"])}#reflect-h"' in body
    assert 'id="reflect-h"' in text(client.get(url("coaching-cycle-detail", o["cycle"])))
    coach_home = text(login(client, o["coach"]).get(reverse("home")))
    assert "Your reflection is waiting" not in coach_home  # the teacher's, not the coach's
    login(client, o["teacher"])
    client.post(url("coaching-cycle-reflect", o["cycle"]), {"reflection": "Slower"})
    assert "Your reflection is waiting" not in text(client.get(reverse("home")))


def test_nothing_to_act_on_leaves_the_section_off(o):
    assert homes.coaching(actor_for(o["director"].user)) is None


def test_the_navigation_costs_no_query(o, django_assert_num_queries):
    actor = actor_for(o["teacher"].user)
    with django_assert_num_queries(0):
        assert homes.nav(actor) == [("Coaching", url("coaching-home"))]


def test_lists_answer_for_each_role(client, o):
    for who in ("teacher", "coach", "principal"):
        login(client, o[who])
        for name in ("observation-list", "coaching-cycle-list", "peer-visit-list", "rubric-list"):
            assert client.get(url(name)).status_code == 200
    body = text(login(client, o["teacher"]).get(url("observation-list")))
    assert "Waiting for your acknowledgement" in body
