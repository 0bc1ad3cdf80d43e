from django.urls import path

from cadre.growth import views

urlpatterns = [
    path("goals/", views.goal_list, name="professional-goal-list"),
    path("goals/new/", views.goal_create, name="professional-goal-create"),
    path("goals/status/", views.goal_status, name="goal-status"),
    path("goals/<int:pk>/", views.goal_detail, name="professional-goal-detail"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="professional-goal-edit"),
    path("goals/<int:pk>/autosave/", views.goal_autosave, name="professional-goal-autosave"),
    path("goals/<int:pk>/submit/", views.goal_submit, name="professional-goal-submit"),
    path("goals/<int:pk>/withdraw/", views.goal_withdraw, name="professional-goal-withdraw"),
    path("goals/<int:pk>/approve/", views.goal_approve, name="professional-goal-approve"),
    path("goals/<int:pk>/return/", views.goal_return, name="professional-goal-return"),
    path("goals/<int:pk>/reflect/", views.goal_reflect, name="professional-goal-reflect"),
    path("isd/", views.isd_request_list, name="isd-request-list"),
    path("isd/new/", views.isd_request_create, name="isd-request-create"),
    path("isd/<int:pk>/", views.isd_request_detail, name="isd-request-detail"),
    path("isd/<int:pk>/approve/", views.isd_request_approve, name="isd-request-approve"),
    path("isd/<int:pk>/deny/", views.isd_request_deny, name="isd-request-deny"),
    path("isd/<int:pk>/complete/", views.isd_request_complete, name="isd-request-complete"),
    path("isd/<int:pk>/reimburse/", views.isd_request_reimburse, name="isd-request-reimburse"),
    path("isd/<int:pk>/cancel/", views.isd_request_cancel, name="isd-request-cancel"),
    path("isd/<int:pk>/attach/", views.isd_request_attach, name="isd-request-attach"),
    path("isd/files/<int:pk>/", views.isd_attachment, name="isd-attachment"),
    path("isd/allotments/", views.allotment_list, name="isd-allotment-list"),
    path("isd/allotments/new/", views.allotment_create, name="isd-allotment-create"),
    path("isd/allotments/<int:pk>/edit/", views.allotment_edit, name="isd-allotment-edit"),
]
