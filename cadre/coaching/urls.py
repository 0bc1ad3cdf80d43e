"""Coaching's pages, gathered from each area's views."""

from django.urls import path

from cadre.coaching.views import cycles, home, leaders, lookfors, observations, peer_visits, rubrics

urlpatterns = [
    path("", home.home, name="coaching-home"),
    # coaching cycles: the coach's and the teacher's alone
    path("cycles/", cycles.cycle_list, name="coaching-cycle-list"),
    path("cycles/new/", cycles.cycle_create, name="coaching-cycle-create"),
    path("cycles/<int:pk>/", cycles.cycle_detail, name="coaching-cycle-detail"),
    path("cycles/<int:pk>/edit/", cycles.cycle_edit, name="coaching-cycle-edit"),
    path("cycles/<int:pk>/advance/", cycles.cycle_advance, name="coaching-cycle-advance"),
    path("cycles/<int:pk>/reflect/", cycles.cycle_reflect, name="coaching-cycle-reflect"),
    # observations of every kind, and the tablet form
    path("observations/", observations.observation_list, name="observation-list"),
    path("observations/new/", observations.observation_create, name="observation-create"),
    path("observations/<int:pk>/", observations.observation_detail, name="observation-detail"),
    path("observations/<int:pk>/edit/", observations.observation_edit, name="observation-edit"),
    path(
        "observations/<int:pk>/autosave/",
        observations.observation_autosave,
        name="observation-autosave",
    ),
    path("observations/<int:pk>/share/", observations.observation_share, name="observation-share"),
    path(
        "observations/<int:pk>/acknowledge/",
        observations.observation_acknowledge,
        name="observation-acknowledge",
    ),
    # rubrics: domains → components → four levels
    path("rubrics/", rubrics.rubric_list, name="rubric-list"),
    path("rubrics/new/", rubrics.rubric_create, name="rubric-create"),
    path("rubrics/<int:pk>/", rubrics.rubric_detail, name="rubric-detail"),
    path("rubrics/<int:pk>/edit/", rubrics.rubric_edit, name="rubric-edit"),
    path("rubrics/<int:pk>/domains/new/", rubrics.domain_create, name="rubric-domain-create"),
    path("domains/<int:pk>/edit/", rubrics.domain_edit, name="rubric-domain-edit"),
    path("domains/<int:pk>/delete/", rubrics.domain_delete, name="rubric-domain-delete"),
    path(
        "domains/<int:pk>/components/new/",
        rubrics.component_create,
        name="rubric-component-create",
    ),
    path("components/<int:pk>/edit/", rubrics.component_edit, name="rubric-component-edit"),
    path("components/<int:pk>/delete/", rubrics.component_delete, name="rubric-component-delete"),
    # look-for checklists
    path("look-fors/", lookfors.look_for_list, name="look-for-list"),
    path("look-fors/new/", lookfors.look_for_create, name="look-for-create"),
    path("look-fors/<int:pk>/", lookfors.look_for_detail, name="look-for-detail"),
    path("look-fors/<int:pk>/edit/", lookfors.look_for_edit, name="look-for-edit"),
    path("look-fors/<int:pk>/items/", lookfors.look_for_item_add, name="look-for-item-add"),
    path("look-for-items/<int:pk>/", lookfors.look_for_item_edit, name="look-for-item-edit"),
    path("look-for-items/<int:pk>/move/", lookfors.look_for_item_move, name="look-for-item-move"),
    path(
        "look-for-items/<int:pk>/remove/",
        lookfors.look_for_item_remove,
        name="look-for-item-remove",
    ),
    # peer visits (learning walks)
    path("visits/", peer_visits.visit_list, name="peer-visit-list"),
    path("visits/new/", peer_visits.visit_create, name="peer-visit-create"),
    path("visits/<int:pk>/", peer_visits.visit_detail, name="peer-visit-detail"),
    path("visits/<int:pk>/respond/", peer_visits.visit_respond, name="peer-visit-respond"),
    path("visits/<int:pk>/cancel/", peer_visits.visit_cancel, name="peer-visit-cancel"),
    # for leaders: counts and dates, and implementation rates
    path("overview/", leaders.overview, name="coaching-overview"),
    path("implementation/", leaders.implementation, name="implementation"),
]
