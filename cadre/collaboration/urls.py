from django.urls import path

from cadre.collaboration.views import check_ins, groups, lessons, library, meetings

urlpatterns = [
    path("", groups.group_list, name="group-list"),
    path("new/", groups.group_create, name="group-create"),
    path("protocols/", library.protocol_list, name="protocol-list"),
    path("check-ins/", check_ins.check_ins, name="group-check-ins"),
    path("report/", library.report, name="group-report"),
    path("<int:pk>/", groups.group_detail, name="group-detail"),
    path("<int:pk>/edit/", groups.group_edit, name="group-edit"),
    path("<int:pk>/members/", groups.group_members, name="group-members"),
    path("<int:pk>/join/", groups.group_join, name="group-join"),
    path("<int:pk>/leave/", groups.group_leave, name="group-leave"),
    path("<int:pk>/stage/", groups.group_stage, name="group-stage"),
    path("<int:pk>/close/", groups.group_close, name="group-close"),
    path("<int:pk>/reopen/", groups.group_reopen, name="group-reopen"),
    path("<int:pk>/evidence/", groups.group_evidence, name="group-evidence"),
    path("<int:pk>/judge/", groups.group_judge, name="group-judge"),
    path("<int:pk>/meetings/new/", meetings.meeting_create, name="group-meeting-create"),
    path("<int:pk>/lessons/new/", lessons.lesson_create, name="research-lesson-create"),
    path("<int:pk>/check-ins/new/", check_ins.check_in_create, name="check-in-create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="group-meeting-detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="group-meeting-edit"),
    path("meetings/<int:pk>/reflect/", meetings.meeting_reflect, name="group-meeting-reflect"),
    path("samples/<int:pk>/", meetings.work_sample, name="group-work-sample"),
    path("lessons/<int:pk>/", lessons.lesson_detail, name="research-lesson-detail"),
    path("lessons/<int:pk>/edit/", lessons.lesson_edit, name="research-lesson-edit"),
    path("lessons/<int:pk>/stage/", lessons.lesson_stage, name="research-lesson-stage"),
    path("check-ins/<int:pk>/", check_ins.check_in_detail, name="check-in-detail"),
    path("check-ins/<int:pk>/edit/", check_ins.check_in_edit, name="check-in-edit"),
]
