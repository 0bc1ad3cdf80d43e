from django.urls import reverse

from cadre.districts.access import actor_for
from cadre.districts.factories import DistrictFactory, staff_with_role
from cadre.districts.models import Role
from cadre.growth import services
from cadre.growth.alignment import alignment_tree


def _flat(tree):
    out = []
    for node in tree:
        out.append(node.goal.code)
        for child in node.children:
            out.append(child.goal.code)
            out += [p.title for p in child.personal]
        out += [p.title for p in node.personal]
    return out


def test_the_chain_runs_from_district_goal_to_learning(o):
    tree, unplaced = alignment_tree(
        actor_for(o["principal"].user), o["year"], school=None, program=None
    )
    # Published plans only, and not the program teacher's goal.
    assert _flat(tree) == ["D1", "S1", "Guided reading", "Small groups"]
    child = tree[0].children[0]
    personal = child.personal[0]
    assert personal == o["professional_goal"]
    assert personal.learning == [o["isd_request"]]
    assert child.personal[1] == o["draft_goal_personal"] and unplaced == []


def test_each_viewer_sees_only_their_part(o):
    def titles(key):
        tree, unplaced = alignment_tree(
            actor_for(o[key].user), o["year"], school=None, program=None
        )
        return set(_flat(tree)) | {p.title for p in unplaced}

    assert "Title I interventions" in titles("director")
    assert "Guided reading" not in titles("director")
    assert "Guided reading" in titles("teacher")
    assert titles("other_teacher") == {"D1"}  # another school: the district goal only
    assert {"Guided reading", "Title I interventions"} <= titles("admin")


WHOLE, ONE = 16, 17


def test_the_page_pins_its_queries(o, client, django_assert_num_queries):
    client.force_login(o["admin"].user)
    url = reverse("alignment")
    one_school = {"school": o["school"].pk}
    with django_assert_num_queries(WHOLE):
        body = client.get(url).content.decode()
    # The whole district is counted, not listed.
    assert "D1" in body and "S1" in body and "See them" in body
    assert "Guided reading" not in body and "1 submitted" in body
    with django_assert_num_queries(ONE):
        body = client.get(url, one_school).content.decode()
    assert "Guided reading" in body and "Literacy conference" in body
    # More goals, people and requests cost no more queries.
    for n in range(3):
        for staff in (o["teacher"], o["other_teacher"]):
            goal = services.goal_create(
                staff=staff,
                actor=staff.user,
                data={
                    "title": f"More {n}",
                    "statement": "s",
                    "activities": "a",
                    "evidence": "e",
                    "school_year": o["year"],
                },
                aligns_to=[o["district_goal"]],
            )
            services.goal_submit(goal=goal, actor=staff.user)
    with django_assert_num_queries(WHOLE):
        assert ">7 submitted<" in client.get(url).content.decode()  # under D1 directly
    with django_assert_num_queries(ONE):
        assert "More 2" in client.get(url, one_school).content.decode()
    assert client.get(url, {"year": "nonsense", "school": "x" * 30}).status_code == 200


def test_between_school_years_the_latest_year_shows_and_without_years_the_page_says_so(o, client):
    from cadre.districts.models import SchoolYear

    district = o["school"].district
    SchoolYear.objects.filter(district=district).update(is_current=False)
    client.force_login(o["teacher"].user)
    response = client.get(reverse("alignment"))
    assert response.status_code == 200 and "Guided reading" in response.content.decode()
    fresh = staff_with_role(Role.DISTRICT_ADMIN, district=DistrictFactory())
    client.force_login(fresh.user)
    response = client.get(reverse("alignment"))
    assert response.status_code == 200 and "has no school years yet" in response.content.decode()


def test_a_goal_serving_two_goals_counts_once_in_the_totals(o):
    goal = services.goal_create(
        staff=o["teacher"],
        actor=o["teacher"].user,
        data={"title": "Both", "statement": "s", "activities": "a", "evidence": "e"},
        aligns_to=[o["school_goal"], o["district_goal"]],
    )
    services.goal_submit(goal=goal, actor=o["teacher"].user)
    admin = actor_for(o["admin"].user)
    for summary in (False, True):
        totals = {}
        alignment_tree(admin, o["year"], school=None, program=None, summary=summary, totals=totals)
        # Guided reading, Both and the program teacher's goal submitted; Small groups a draft.
        assert totals == {"submitted": 3, "draft": 1}, summary
