from django.urls import path

from cadre.planning import views

urlpatterns = [
    path("plans/", views.plan_list, name="strategic-plan-list"),
    path("plans/new/", views.plan_create, name="strategic-plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="strategic-plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="strategic-plan-edit"),
    path("plans/<int:pk>/publish/", views.plan_publish, name="strategic-plan-publish"),
    path("plans/<int:pk>/goals/new/", views.goal_create, name="plan-goal-create"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="plan-goal-edit"),
    path("needs/", views.assessment_list, name="needs-assessment-list"),
    path("needs/new/", views.assessment_create, name="needs-assessment-create"),
    path("needs/<int:pk>/", views.assessment_detail, name="needs-assessment-detail"),
    path("needs/<int:pk>/edit/", views.assessment_edit, name="needs-assessment-edit"),
    path("needs/<int:pk>/finalize/", views.assessment_finalize, name="needs-assessment-finalize"),
    path("needs/<int:pk>/link/", views.assessment_link, name="needs-assessment-link"),
    path("needs/<int:pk>/priorities/new/", views.priority_add, name="priority-add"),
    path("needs/<int:pk>/inputs/", views.assessment_inputs, name="needs-assessment-inputs"),
    path("needs/<int:pk>/give-input/", views.give_input, name="needs-assessment-give-input"),
    path("priorities/<int:pk>/edit/", views.priority_edit, name="priority-edit"),
    path("priorities/<int:pk>/move/", views.priority_move, name="priority-move"),
    path("priorities/<int:pk>/remove/", views.priority_remove, name="priority-remove"),
    path("inputs/<int:pk>/moderate/", views.input_moderate, name="stakeholder-input-moderate"),
    path("input/<str:token>/", views.stakeholder_input, name="stakeholder-input"),
    path("pd-plans/", views.pd_plan_list, name="pd-plan-list"),
    path("pd-plans/new/", views.pd_plan_create, name="pd-plan-create"),
    path("pd-plans/<int:pk>/", views.pd_plan_detail, name="pd-plan-detail"),
    path("pd-plans/<int:pk>/edit/", views.pd_plan_edit, name="pd-plan-edit"),
    path("pd-plans/<int:pk>/submit/", views.pd_plan_submit, name="pd-plan-submit"),
    path("pd-plans/<int:pk>/approve/", views.pd_plan_approve, name="pd-plan-approve"),
    path("pd-plans/<int:pk>/return/", views.pd_plan_return, name="pd-plan-return"),
]
