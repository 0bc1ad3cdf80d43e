"""Coaching in Debian's chromium, driven by Playwright. A coach, on a tablet (820×1180, touch),
runs a full coaching cycle: goal-setting → pre-conference → observation → debrief →
reflection → closed. The observation is written on the tablet form, which autosaves every tap
and every pause in typing (and says so when a save is refused); a reload keeps it all. The
coach shares it; the teacher, at a desk, comments and acknowledges it and writes the cycle's
reflection; the coach closes the cycle; the principal cannot open it. Each page is checked
with axe and photographed into test-results/."""

import re

import pytest

from cadre.tests.test_browser import SHOTS, _axe, _shot, _sign_in, browser, page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 820, "height": 1180}  # a 10-inch tablet, portrait
TARGET = 44  # px: the smallest touch target we accept on the tablet form (WCAG 2.5.5)
GOAL = "Students justify answers with evidence from the text"
PRE_NOTES = "Observe the reading block; look for who cites the text, and when."
FOCUS = "Text-dependent questions in the reading block"
NOTES = "Three students cited the text unprompted after the second question."
EVIDENCE = "Asked 'How do you know?' four times; two students answered with a page number."
STRENGTHS = "Warm, patient questioning"
NEXT_STEPS = "Plan two text-dependent questions"
DEBRIEF = "Rosa will script the questions in advance and try a sentence frame."
COMMENT = "I will plan the questions on Sunday."
REFLECTION = "Scripting the questions made me wait longer; more hands went up."
VIDEO = "https://meet.example.org/rosa-carmen"


def _switch(page, live_server, staff):  # noqa: F811
    page.context.clear_cookies()
    _sign_in(page, live_server, staff)
    page.wait_for_url(f"{live_server.url}/")


def _autosaved(page, action, **sent):  # noqa: F811
    """Do `action` on the tablet form and wait for the autosave that sends `sent` (field name
    → value): a 200 "Saved at hh:mm" from the endpoint, shown in the status line."""
    from urllib.parse import parse_qs

    from playwright.sync_api import expect

    def ours(response) -> bool:
        if not response.url.endswith("/autosave/") or response.request.method != "POST":
            return False
        form = parse_qs(response.request.post_data or "", keep_blank_values=True)
        return all(form.get(name) == [value] for name, value in sent.items())

    with page.expect_response(ours) as answer:
        action()
    assert answer.value.status == 200, answer.value.text()
    assert answer.value.text().startswith("Saved at"), answer.value.text()
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"))


def _big_enough(locator, name: str, least: int = TARGET) -> None:
    box = locator.bounding_box()
    assert box is not None, f"{name} is not shown"
    assert box["width"] >= least and box["height"] >= least, f"{name} is {box}"


def _advance(page, button: str, done: str):  # noqa: F811
    page.get_by_role("button", name=button).click()
    page.get_by_text(done).wait_for()


def test_coach_runs_a_full_cycle_on_a_tablet_teacher_acknowledges_and_reflects(
    browser,  # noqa: F811
    page,  # noqa: F811
    live_server,
    world,
):
    from playwright.sync_api import expect

    from cadre.coaching import factories
    from cadre.coaching.models import Cycle, Mark, Observation, Rating
    from cadre.growth import services as growth

    district, school = world.a, world.obj("a.school")
    principal, offering = world.obj("a.principal"), world.obj("a.offering")
    coach = factories.coach(school=school, first_name="Carmen", last_name="Ibarra")
    teacher = factories.teacher(school=school, first_name="Rosa", last_name="Delgado")
    goal = growth.goal_create(
        staff=teacher,
        actor=teacher.user,
        data={
            "title": "Evidence-based discussion",
            "statement": "More students support their answers with evidence",
            "activities": "Coaching cycle",
            "evidence": "Discussion tallies",
            "school_year": world.obj("a.year"),
        },
        aligns_to=[world.obj("a.school_goal")],
    )
    rubric = factories.rubric(district, name="Kern teaching framework", components=("3b", "3c"))
    look_for = factories.look_for(
        district,
        title="Text-dependent questioning",
        strategy="Close reading",
        items=("Students cite the text", "Questions need evidence", "Partners talk first"),
    )
    first, second = rubric.domains.get().components.order_by("code")
    cite, need, _talk = look_for.items.order_by("position")

    # The coach works on a tablet, by touch.
    tablet = browser.new_context(
        base_url=live_server.url, viewport=TABLET, has_touch=True, is_mobile=True
    )
    coach_page = tablet.new_page()
    coach_page.set_default_timeout(15_000)
    try:
        p = coach_page
        # Goal-setting: the coach opens a cycle with Rosa, linked to her professional goal and
        # to an offering, coached by video.
        _sign_in(p, live_server, coach)
        p.wait_for_url(f"{live_server.url}/")
        p.goto("/coaching/")
        p.get_by_role("heading", name="Coaching and observation", level=1).wait_for()
        _axe(p, "coach's coaching home")
        _shot(p, "coaching-home-coach-tablet")
        p.get_by_role("link", name="Start a coaching cycle").click()
        p.get_by_label("Teacher (to link their professional goal)").select_option(str(teacher.pk))
        p.get_by_role("button", name="Choose").click()
        p.get_by_role("heading", name="Start a coaching cycle with Rosa Delgado").wait_for()
        p.get_by_label("The teacher's professional goal").select_option(str(goal.pk))
        p.get_by_label("PD offering").select_option(str(offering.pk))
        p.get_by_label("Coaching goal").fill(GOAL)
        p.get_by_label("Virtual coaching by video").check()
        p.get_by_label("Video link").fill(VIDEO)
        _axe(p, "cycle form")
        _shot(p, "coaching-cycle-form-tablet")
        p.get_by_role("button", name="Save").click()
        p.get_by_role("heading", name="Coaching cycle: Carmen Ibarra with Rosa Delgado").wait_for()
        cycle = Cycle.objects.get(coach=coach, teacher=teacher)
        assert cycle.stage == Cycle.Stage.GOAL_SETTING and cycle.professional_goal_id == goal.pk
        assert cycle.offering_id == offering.pk and cycle.video_link == VIDEO
        expect(p.get_by_role("link", name="Join the video call")).to_have_attribute("href", VIDEO)
        expect(p.locator("[aria-current=step]")).to_contain_text("Goal-setting")
        _axe(p, "cycle page at goal-setting")
        _shot(p, "coaching-cycle-goal-setting-tablet")

        # Pre-conference: the coach notes what the observation will look at.
        _advance(p, "Move on to pre-conference", "The cycle is at pre-conference.")
        p.get_by_role("link", name="Edit goal and notes").click()
        p.get_by_label("Pre-conference notes").fill(PRE_NOTES)
        _axe(p, "cycle edit form")
        p.get_by_role("button", name="Save").click()
        p.get_by_role("region", name="Pre-conference").get_by_text(PRE_NOTES).wait_for()
        _advance(p, "Move on to observation", "The cycle is at observation.")
        _axe(p, "cycle page at observation")
        _shot(p, "coaching-cycle-observation-tablet")

        # Observation, on the tablet form.
        p.get_by_role("link", name="Observe", exact=True).click()
        p.get_by_role("heading", name="Observe Rosa Delgado for your coaching cycle").wait_for()
        p.get_by_label("Look-for checklist").select_option(str(look_for.pk))
        p.get_by_label("Rubric").select_option(str(rubric.pk))
        p.get_by_label("Focus").fill(FOCUS)
        _axe(p, "observation start form")
        p.get_by_role("button", name="Save").click()
        p.get_by_role("heading", name="Coaching observation of Rosa Delgado").wait_for()
        observation = Observation.objects.get(cycle=cycle)
        assert observation.status == Observation.Status.DRAFT
        expect(p.get_by_text("Non-evaluative: support, not evaluation")).to_be_visible()
        expect(p.locator("#save-status")).to_have_text("Every change saves by itself.")
        _axe(p, "tablet observation form")
        _shot(p, "coaching-tablet-form-empty")

        # Big targets for a finger: every level, mark and button.
        for i, option in enumerate(p.locator("label.level-option").all()):
            _big_enough(option, f"rubric level option {i}")
        for i, option in enumerate(p.locator("label.mark-option").all()):
            _big_enough(option, f"look-for mark option {i}")
        for name in ("Save", "Share with Rosa"):
            _big_enough(p.get_by_role("button", name=name), f"the {name} button")

        # Each tap saves.
        level_3b = p.get_by_role("group", name=f"3b {first.name}")
        _autosaved(
            p,
            lambda: level_3b.locator("label", has_text="3 · Proficient").tap(),
            **{f"rating_{first.pk}": "3"},
        )
        expect(level_3b.get_by_role("radio", name=re.compile(r"^3 · Proficient"))).to_be_checked()
        level_3c = p.get_by_role("group", name=f"3c {second.name}")
        _autosaved(
            p,
            lambda: level_3c.locator("label", has_text="2 · Developing").tap(),
            **{f"rating_{second.pk}": "2"},
        )
        seen = p.get_by_role("group", name="Students cite the text")
        _autosaved(
            p, lambda: seen.locator("label", has_text="✓ Seen").tap(), **{f"mark_{cite.pk}": "1"}
        )
        not_seen = p.get_by_role("group", name="Questions need evidence")
        _autosaved(
            p,
            lambda: not_seen.locator("label", has_text="✗ Not seen").tap(),
            **{f"mark_{need.pk}": "0"},
        )
        # A pause in typing saves too: no need to leave the field.
        notes = p.get_by_label("What you saw")
        notes.tap()
        _autosaved(p, lambda: notes.press_sequentially(NOTES), notes=NOTES)
        evidence = p.get_by_label("Evidence for 3b")
        evidence.tap()
        _autosaved(
            p, lambda: evidence.press_sequentially(EVIDENCE), **{f"evidence_{first.pk}": EVIDENCE}
        )
        ratings = dict(
            Rating.objects.filter(observation=observation).values_list("component", "level")
        )
        assert ratings == {first.pk: 3, second.pk: 2}
        assert Rating.objects.get(observation=observation, component=first).evidence == EVIDENCE
        marks = dict(Mark.objects.filter(observation=observation).values_list("item", "seen"))
        assert marks == {cite.pk: True, need.pk: False}
        observation.refresh_from_db()
        assert observation.notes == NOTES and observation.focus == FOCUS
        _shot(p, "coaching-tablet-form-filled")
        # What the coach sees in the room: the viewport, with the sticky Save / Share bar.
        level_3c.scroll_into_view_if_needed()
        p.screenshot(path=str(SHOTS / "coaching-tablet-form-viewport.png"))

        # A reload shows all of it kept.
        p.reload()
        p.get_by_role("heading", name="Coaching observation of Rosa Delgado").wait_for()
        expect(level_3b.get_by_role("radio", name=re.compile(r"^3 · Proficient"))).to_be_checked()
        expect(level_3c.get_by_role("radio", name=re.compile(r"^2 · Developing"))).to_be_checked()
        expect(seen.get_by_role("radio", name="✓ Seen")).to_be_checked()
        expect(not_seen.get_by_role("radio", name="✗ Not seen")).to_be_checked()
        expect(
            p.get_by_role("group", name="Partners talk first").get_by_role(
                "radio", name="Not marked"
            )
        ).to_be_checked()
        expect(notes).to_have_value(NOTES)
        expect(evidence).to_have_value(EVIDENCE)
        expect(p.get_by_label("Focus")).to_have_value(FOCUS)

        # A refused save says so in the status line and keeps what was typed.
        Observation.objects.filter(pk=observation.pk).update(status=Observation.Status.SHARED)
        strengths = p.get_by_label("Strengths")
        strengths.tap()
        strengths.press_sequentially(STRENGTHS)
        expect(p.locator("#save-status .save-error")).to_contain_text("Not saved.")
        expect(strengths).to_have_value(STRENGTHS)
        _shot(p, "coaching-tablet-form-refused")
        Observation.objects.filter(pk=observation.pk).update(status=Observation.Status.DRAFT)
        next_steps = p.get_by_label("Next steps")
        next_steps.tap()
        _autosaved(p, lambda: next_steps.press_sequentially(NEXT_STEPS), next_steps=NEXT_STEPS)

        # Leaving the field saves it once more (its change event); let that save land first:
        # a Share tapped while an autosave is in flight races it (see the report).
        _autosaved(p, lambda: next_steps.blur(), next_steps=NEXT_STEPS)
        # Sharing sends everything on the form, then the teacher may read it.
        p.get_by_role("button", name="Share with Rosa").tap()
        p.get_by_text("Shared with Rosa Delgado.").wait_for()
        observation.refresh_from_db()
        assert observation.status == Observation.Status.SHARED
        assert observation.strengths == STRENGTHS and observation.next_steps == NEXT_STEPS
        _axe(p, "observation page (coach, shared)")
        _shot(p, "coaching-observation-shared-tablet")

        # Debrief, then the teacher's reflection.
        p.get_by_role("link", name="The cycle", exact=True).click()
        _advance(p, "Move on to debrief", "The cycle is at debrief.")
        p.get_by_role("link", name="Edit goal and notes").click()
        p.get_by_label("Debrief notes").fill(DEBRIEF)
        p.get_by_role("button", name="Save").click()
        p.get_by_role("region", name="Debrief").get_by_text(DEBRIEF).wait_for()
        _advance(p, "Move on to reflection", "The cycle is at reflection.")
        _axe(p, "cycle page at reflection (coach)")
        _shot(p, "coaching-cycle-reflection-coach-tablet")

        # The teacher, at a desk, finds the observation waiting on her home page.
        _sign_in(page, live_server, teacher)
        page.wait_for_url(f"{live_server.url}/")
        _axe(page, "teacher's home")
        _shot(page, "coaching-teacher-home")
        page.get_by_role("link", name=re.compile(r"^Coaching observation by Carmen Ibarra")).click()
        page.get_by_text(NOTES).wait_for()
        page.get_by_text(f"Evidence: {EVIDENCE}").wait_for()
        expect(
            page.get_by_role("heading", name="Text-dependent questioning: 1 of 3 seen")
        ).to_be_visible()
        page.get_by_label("Your comment").fill(COMMENT)
        _axe(page, "observation (teacher)")
        _shot(page, "coaching-observation-teacher")
        page.get_by_role("button", name="Acknowledge").click()
        page.get_by_text("Acknowledged; Carmen Ibarra sees your comment.").wait_for()
        page.get_by_text(COMMENT).wait_for()
        _axe(page, "observation (teacher, acknowledged)")
        _shot(page, "coaching-observation-acknowledged")
        observation.refresh_from_db()
        assert observation.status == Observation.Status.ACKNOWLEDGED
        assert observation.teacher_comment == COMMENT

        # ... and writes the cycle's reflection.
        page.get_by_role("link", name="The cycle", exact=True).click()
        page.get_by_role(
            "heading", name="Coaching cycle: Carmen Ibarra with Rosa Delgado"
        ).wait_for()
        page.get_by_text(DEBRIEF).wait_for()
        page.get_by_label("Your reflection").fill(REFLECTION)
        _axe(page, "cycle page (teacher, reflection)")
        page.get_by_role("button", name="Save your reflection").click()
        page.get_by_text("Your reflection is saved; your coach reads it.").wait_for()
        _shot(page, "coaching-cycle-teacher-reflected")
        cycle.refresh_from_db()
        assert cycle.reflection == REFLECTION

        # The coach reads it and closes the cycle.
        p.reload()
        p.get_by_role("region", name=re.compile("Reflection")).get_by_text(REFLECTION).wait_for()
        _advance(p, "Close the cycle", "The cycle is closed.")
        expect(p.locator("[aria-current=step]")).to_contain_text("Closed")
        expect(p.get_by_role("button", name=re.compile("^Move on"))).to_have_count(0)
        _axe(p, "closed cycle (coach)")
        _shot(p, "coaching-cycle-closed-tablet")
        cycle.refresh_from_db()
        assert cycle.stage == Cycle.Stage.CLOSED and cycle.closed_on == district.today()
    finally:
        tablet.close()

    # The principal cannot open the cycle or the observation: they are the pair's.
    _switch(page, live_server, principal)
    assert page.goto(cycle.get_absolute_url()).status == 404
    assert page.goto(observation.get_absolute_url()).status == 404
