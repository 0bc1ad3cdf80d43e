from django.urls import path

from cadre.coaching import views

urlpatterns = [
    path("", views.home, name="coaching-home"),
    # coaching cycles: the coach's and the teacher's alone
    path("cycles/", views.cycle_list, name="coaching-cycle-list"),
    path("cycles/new/", views.cycle_create, name="coaching-cycle-create"),
    path("cycles/<int:pk>/", views.cycle_detail, name="coaching-cycle-detail"),
    path("cycles/<int:pk>/edit/", views.cycle_edit, name="coaching-cycle-edit"),
    path("cycles/<int:pk>/advance/", views.cycle_advance, name="coaching-cycle-advance"),
    path("cycles/<int:pk>/reflect/", views.cycle_reflect, name="coaching-cycle-reflect"),
    # observations of every kind, and the tablet form
    path("observations/", views.observation_list, name="observation-list"),
    path("observations/new/", views.observation_create, name="observation-create"),
    path("observations/<int:pk>/", views.observation_detail, name="observation-detail"),
    path("observations/<int:pk>/edit/", views.observation_edit, name="observation-edit"),
    path(
        "observations/<int:pk>/autosave/",
        views.observation_autosave,
        name="observation-autosave",
    ),
    path("observations/<int:pk>/share/", views.observation_share, name="observation-share"),
    path(
        "observations/<int:pk>/acknowledge/",
        views.observation_acknowledge,
        name="observation-acknowledge",
    ),
    # rubrics: domains → components → four levels
    path("rubrics/", views.rubric_list, name="rubric-list"),
    path("rubrics/new/", views.rubric_create, name="rubric-create"),
    path("rubrics/<int:pk>/", views.rubric_detail, name="rubric-detail"),
    path("rubrics/<int:pk>/edit/", views.rubric_edit, name="rubric-edit"),
    path("rubrics/<int:pk>/domains/new/", views.domain_create, name="rubric-domain-create"),
    path("domains/<int:pk>/edit/", views.domain_edit, name="rubric-domain-edit"),
    path("domains/<int:pk>/delete/", views.domain_delete, name="rubric-domain-delete"),
    path(
        "domains/<int:pk>/components/new/",
        views.component_create,
        name="rubric-component-create",
    ),
    path("components/<int:pk>/edit/", views.component_edit, name="rubric-component-edit"),
    path("components/<int:pk>/delete/", views.component_delete, name="rubric-component-delete"),
    # look-for checklists
    path("look-fors/", views.look_for_list, name="look-for-list"),
    path("look-fors/new/", views.look_for_create, name="look-for-create"),
    path("look-fors/<int:pk>/", views.look_for_detail, name="look-for-detail"),
    path("look-fors/<int:pk>/edit/", views.look_for_edit, name="look-for-edit"),
    path("look-fors/<int:pk>/items/", views.look_for_item_add, name="look-for-item-add"),
    path("look-for-items/<int:pk>/", views.look_for_item_edit, name="look-for-item-edit"),
    path("look-for-items/<int:pk>/move/", views.look_for_item_move, name="look-for-item-move"),
    path(
        "look-for-items/<int:pk>/remove/", views.look_for_item_remove, name="look-for-item-remove"
    ),
    # peer visits (learning walks)
    path("visits/", views.visit_list, name="peer-visit-list"),
    path("visits/new/", views.visit_create, name="peer-visit-create"),
    path("visits/<int:pk>/", views.visit_detail, name="peer-visit-detail"),
    path("visits/<int:pk>/respond/", views.visit_respond, name="peer-visit-respond"),
    path("visits/<int:pk>/cancel/", views.visit_cancel, name="peer-visit-cancel"),
    # for leaders: counts and dates, and implementation rates
    path("overview/", views.overview, name="coaching-overview"),
    path("implementation/", views.implementation, name="implementation"),
]
