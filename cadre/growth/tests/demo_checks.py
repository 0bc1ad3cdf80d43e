"""Checks of the demo district's growth part, run by cadre/tests/test_demo.py on one build."""

from cadre.districts.models import District
from cadre.funding.reconcile import reconcile
from cadre.growth.models import IsdAllotment, IsdRequest, ProfessionalGoal
from cadre.planning.models import NeedsAssessment, PdPlan, StakeholderInput, StrategicPlan


def check(client, **_):
    """The demo has plans goals and isd in every state."""
    district = District.objects.get(slug="demo")
    plans = StrategicPlan.objects.filter(district=district)
    assert {p.level for p in plans} == {"district", "school", "program"}
    assert {p.status for p in plans} == {"draft", "published"}
    assessments = NeedsAssessment.objects.filter(district=district)
    assert {a.status for a in assessments} == {"draft", "final"}
    assert assessments.filter(input_open=True).exists()
    inputs = StakeholderInput.objects.filter(district=district)
    assert {i.source for i in inputs} == {"staff", "parent", "community"}
    assert {i.status for i in inputs} == {"pending", "accepted", "hidden"}
    assert {p.status for p in PdPlan.objects.filter(district=district)} == set(PdPlan.Status)
    goals = ProfessionalGoal.objects.filter(district=district)
    assert {g.status for g in goals} == set(ProfessionalGoal.Status)
    assert goals.exclude(outcome="").exists()
    requests = IsdRequest.objects.filter(district=district)
    assert {r.status for r in requests} == set(IsdRequest.Status)
    assert IsdAllotment.objects.filter(district=district).count() == 8
    teacher = goals.filter(staff__email="teacher@riverbend.example")
    assert teacher.filter(status="approved").exists() and teacher.filter(status="draft").exists()
    assert reconcile(district) == []
