from django.urls import path

from cadre.collaboration import views

urlpatterns = [
    path("", views.group_list, name="group-list"),
    path("new/", views.group_create, name="group-create"),
    path("protocols/", views.protocol_list, name="protocol-list"),
    path("check-ins/", views.check_ins, name="group-check-ins"),
    path("report/", views.report, name="group-report"),
    path("<int:pk>/", views.group_detail, name="group-detail"),
    path("<int:pk>/edit/", views.group_edit, name="group-edit"),
    path("<int:pk>/members/", views.group_members, name="group-members"),
    path("<int:pk>/join/", views.group_join, name="group-join"),
    path("<int:pk>/leave/", views.group_leave, name="group-leave"),
    path("<int:pk>/stage/", views.group_stage, name="group-stage"),
    path("<int:pk>/close/", views.group_close, name="group-close"),
    path("<int:pk>/reopen/", views.group_reopen, name="group-reopen"),
    path("<int:pk>/evidence/", views.group_evidence, name="group-evidence"),
    path("<int:pk>/judge/", views.group_judge, name="group-judge"),
    path("<int:pk>/meetings/new/", views.meeting_create, name="group-meeting-create"),
    path("<int:pk>/lessons/new/", views.lesson_create, name="research-lesson-create"),
    path("<int:pk>/check-ins/new/", views.check_in_create, name="check-in-create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="group-meeting-detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="group-meeting-edit"),
    path("meetings/<int:pk>/reflect/", views.meeting_reflect, name="group-meeting-reflect"),
    path("samples/<int:pk>/", views.work_sample, name="group-work-sample"),
    path("lessons/<int:pk>/", views.lesson_detail, name="research-lesson-detail"),
    path("lessons/<int:pk>/edit/", views.lesson_edit, name="research-lesson-edit"),
    path("lessons/<int:pk>/stage/", views.lesson_stage, name="research-lesson-stage"),
    path("check-ins/<int:pk>/", views.check_in_detail, name="check-in-detail"),
    path("check-ins/<int:pk>/edit/", views.check_in_edit, name="check-in-edit"),
]
