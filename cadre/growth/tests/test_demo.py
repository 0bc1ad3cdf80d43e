import pytest

from cadre.districts import demo
from cadre.districts.models import District
from cadre.funding.reconcile import reconcile
from cadre.growth.models import IsdAllotment, IsdRequest, ProfessionalGoal
from cadre.planning.models import NeedsAssessment, PdPlan, StakeholderInput, StrategicPlan

pytestmark = pytest.mark.django_db


def test_the_demo_has_plans_goals_and_isd_in_every_state():
    demo.build_demo()
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
