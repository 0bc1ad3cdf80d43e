"""The protocol library: what each protocol a group may use is for, and its steps with their
minutes. The keys are `models.Protocol`'s values; the library page and the meeting form show
them.

The steps follow the common published forms (the National School Reform Faculty's tuning and
consultancy protocols, Wellman and Lipton's data-driven dialogue, and the lesson-study cycle
as Lewis and Hurd describe it), shortened to what a facilitator needs at the table.
"""

from dataclasses import dataclass

from cadre.collaboration.models import Protocol


@dataclass(frozen=True)
class Step:
    name: str
    minutes: int
    what: str


@dataclass(frozen=True)
class Entry:
    key: str
    name: str
    purpose: str
    steps: tuple[Step, ...]
    note: str = ""
    over_meetings: bool = False  # a cycle run over several meetings, not one sitting

    @property
    def minutes(self) -> int:
        return sum(step.minutes for step in self.steps)


LIBRARY: dict[str, Entry] = {
    Protocol.TUNING: Entry(
        key=Protocol.TUNING,
        name=Protocol.TUNING.label,
        purpose=(
            "Tune a piece of work (a task, a unit, an assessment) against student work: "
            "colleagues give warm and cool feedback on a question the presenter brings."
        ),
        steps=(
            Step("Introduction", 5, "The facilitator names the norms, the roles and the time."),
            Step(
                "Presentation",
                10,
                "The presenter gives the context, the goals of the work and the focusing "
                "question. Participants listen.",
            ),
            Step("Clarifying questions", 5, "Brief questions of fact, with brief answers."),
            Step(
                "Examining the work",
                10,
                "Participants read the student work silently, names removed, noting what "
                "speaks to the focusing question.",
            ),
            Step("Pause", 2, "Each participant decides what warm and cool feedback to give."),
            Step(
                "Warm and cool feedback",
                10,
                "Strengths of the work, then questions and gaps. The presenter listens and "
                "takes notes.",
            ),
            Step("Reflection", 5, "The presenter responds to what they heard, by choice."),
            Step("Debrief", 3, "How did the protocol work? What did we learn?"),
        ),
    ),
    Protocol.CONSULTANCY: Entry(
        key=Protocol.CONSULTANCY,
        name=Protocol.CONSULTANCY.label,
        purpose=(
            "Help a colleague think through a dilemma in their practice: the group probes "
            "and discusses while the presenter listens, then the presenter decides."
        ),
        steps=(
            Step(
                "The dilemma",
                10,
                "The presenter describes the dilemma and frames a question for the group.",
            ),
            Step("Clarifying questions", 5, "Questions of fact that help the group understand."),
            Step(
                "Probing questions",
                10,
                "Questions that help the presenter think more deeply, not advice in disguise.",
            ),
            Step(
                "Discussion",
                15,
                "The group talks about the dilemma among itself; the presenter listens and "
                "takes notes, without speaking.",
            ),
            Step("Presenter's response", 5, "What stood out, and what the presenter will try."),
            Step("Debrief", 5, "How did the protocol serve the presenter?"),
        ),
    ),
    Protocol.DATA_DRIVEN_DIALOGUE: Entry(
        key=Protocol.DATA_DRIVEN_DIALOGUE,
        name=Protocol.DATA_DRIVEN_DIALOGUE.label,
        purpose=(
            "Look at assessment or other student data together, separating what we expect, "
            "what we see and what we infer, before deciding what to do."
        ),
        steps=(
            Step(
                "Predictions",
                10,
                "Before seeing the data: what do we expect, and what assumptions do we bring?",
            ),
            Step(
                "Observations",
                15,
                "Just the facts: what the aggregated data show, without explanations.",
            ),
            Step(
                "Inferences",
                15,
                "What might explain what we see? Which further data would confirm it?",
            ),
            Step("Next steps", 10, "The strategies to try and how we will know they worked."),
        ),
        note="Data are aggregated; groups smaller than the district's minimum are not shown.",
    ),
    Protocol.LESSON_STUDY: Entry(
        key=Protocol.LESSON_STUDY,
        name=Protocol.LESSON_STUDY.label,
        purpose=(
            "Study, plan, teach and observe one research lesson together, then debrief and "
            "revise it, to learn how students think about one hard idea."
        ),
        steps=(
            Step(
                "Study",
                60,
                "The research theme, the standards and the curriculum; what students find hard.",
            ),
            Step(
                "Plan",
                90,
                "The research lesson, with the student thinking the team anticipates and what "
                "the observers will look for.",
            ),
            Step(
                "Teach and observe",
                60,
                "One member teaches the public lesson; the others observe student thinking, "
                "not the teacher.",
            ),
            Step(
                "Debrief",
                45,
                "The post-lesson discussion: the evidence of student learning the observers saw.",
            ),
            Step("Revise", 45, "Revise the lesson from the evidence, and plan what comes next."),
        ),
        note="A cycle runs over several meetings; record each research lesson on the group's page.",
    ),
}


def entry(key: str) -> Entry | None:
    """The library entry for a protocol value, or None for no protocol (or an unknown one)."""
    return LIBRARY.get(key) if key else None


def entries() -> list[Entry]:
    """Every protocol of the library, in the order of `Protocol`."""
    return [LIBRARY[value] for value in Protocol.values if value in LIBRARY]
