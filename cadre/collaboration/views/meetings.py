"""Meeting pages: recording and editing a meeting with its attendance and student-work files,
its page, a member's reflection, and a work sample's download."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from cadre.collaboration import protocols, selectors
from cadre.collaboration.forms import MeetingForm, ReflectionForm
from cadre.collaboration.models import Meeting
from cadre.collaboration.services import meetings as services
from cadre.collaboration.views.common import _closed, _members
from cadre.core import attachments
from cadre.core.errors import DomainError
from cadre.core.views import act, actor_required, form_error
from cadre.districts import access
from cadre.districts.models import Staff
from cadre.growth.selectors import history


def _meeting_form_page(request, group, form, *, title: str, cancel: str, save):
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"Saved the meeting of {obj.held_on:%-d %B %Y}.")
            return redirect(obj.get_absolute_url())
    return render(
        request,
        "collaboration/meeting_form.html",
        {
            "form": form,
            "group": group,
            "title": title,
            "cancel": cancel,
            "protocols": protocols.entries(),
        },
        status=400 if request.method == "POST" else 200,
    )


@actor_required
def meeting_create(request, pk: int):
    actor = request.actor
    group = selectors.group_for(actor, pk)
    access.require(actor, "record_meeting", group)
    if group.is_closed:
        return _closed(request, group)
    members = _members(group)
    form = MeetingForm(
        request.POST or None,
        request.FILES or None,
        members=members,
        initial={
            "held_on": actor.today,
            "minutes": group.meeting_minutes,
            "present": [m.pk for m in members],
        },
    )

    def save(data):
        return services.meeting_create(
            group=group,
            actor=request.user,
            data={k: data[k] for k in services.MEETING_FIELDS},
            present=list(data["present"]),
            uploads=data["file"],
            recorded_by=actor.staff,
        )

    return _meeting_form_page(
        request,
        group,
        form,
        title=f"Record a meeting of {group}",
        cancel=group.get_absolute_url(),
        save=save,
    )


def _meeting_page(request, meeting: Meeting, *, form=None, status: int = 200):
    actor = request.actor
    group = meeting.group
    mine = next((r for r in meeting.reflection_list if r.staff_id == actor.staff.pk), None)
    is_open = not group.is_closed
    can_reflect = is_open and access.can(actor, "reflect", meeting)
    return render(
        request,
        "collaboration/meeting_detail.html",
        {
            "meeting": meeting,
            "group": group,
            "protocol": protocols.entry(meeting.protocol),
            "present": [a for a in meeting.register if a.present],
            "absent": [a for a in meeting.register if not a.present],
            "reflections": meeting.reflection_list,
            "samples": meeting.sample_list,
            "mine": mine,
            "can_edit": is_open and access.can(actor, "change", meeting),
            "can_reflect": can_reflect,
            "form": form
            or (
                ReflectionForm(initial={"text": mine.text if mine else ""}) if can_reflect else None
            ),
            "events": history(meeting),
        },
        status=status,
    )


@actor_required
def meeting_detail(request, pk: int):
    return _meeting_page(request, selectors.meeting_detail(request.actor, pk))


@actor_required
def meeting_edit(request, pk: int):
    actor = request.actor
    meeting = selectors.meeting_detail(actor, pk)
    access.require(actor, "change", meeting)
    group = meeting.group
    if group.is_closed:
        return _closed(request, group)
    initial = {name: getattr(meeting, name) for name in services.MEETING_FIELDS}
    initial["present"] = [a.staff_id for a in meeting.register if a.present]
    members = _members(group) | Staff.objects.filter(pk__in=[a.staff_id for a in meeting.register])
    form = MeetingForm(
        request.POST or None,
        request.FILES or None,
        members=members.distinct().order_by("last_name", "first_name", "id"),
        samples=meeting.samples.all(),
        initial=initial,
    )

    def save(data):
        return services.meeting_update(
            meeting=meeting,
            actor=request.user,
            data={k: data[k] for k in services.MEETING_FIELDS},
            present=list(data["present"]),
            uploads=data["file"],
            remove_samples=list(data["remove"]),
        )

    return _meeting_form_page(
        request,
        group,
        form,
        title=f"Edit the meeting of {meeting.held_on:%-d %B %Y}",
        cancel=meeting.get_absolute_url(),
        save=save,
    )


@actor_required
def meeting_reflect(request, pk: int):
    actor = request.actor
    meeting = selectors.meeting_detail(actor, pk)
    access.require(actor, "reflect", meeting)
    if request.method != "POST":
        return redirect(meeting.get_absolute_url() + "#reflect-h")
    return act(
        request,
        meeting,
        ReflectionForm(request.POST),
        lambda data: services.reflection_save(
            meeting=meeting, actor=request.user, staff=actor.staff, text=data["text"]
        ),
        done="Your reflection is saved.",
        page=lambda f: _meeting_page(request, meeting, form=f, status=400),
    )


@require_GET
@actor_required
def work_sample(request, pk: int):
    """The file, to those who see its meeting: its stored type, always a download."""
    sample = selectors.work_sample(request.actor, pk)
    return attachments.download(sample.file, name=sample.name, content_type=sample.content_type)
