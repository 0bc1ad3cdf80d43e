from django.urls import path

from cadre.mentoring import views

urlpatterns = [
    path("", views.home, name="mentoring-home"),
    path("people/", views.people, name="mentoring-people"),
    path("people/<int:pk>/", views.person, name="mentoring-person"),
    path("people/<int:pk>/extend/", views.extend, name="mentoring-extend"),
    path("people/<int:pk>/propose/", views.propose, name="mentoring-propose"),
    path("people/<int:pk>/onboarding/", views.onboarding_open, name="onboarding-open"),
    path("support/<int:pk>/revoke/", views.extend_revoke, name="mentoring-extend-revoke"),
    path("mentors/", views.mentor_list, name="mentor-list"),
    path("mentors/new/", views.mentor_create, name="mentor-create"),
    path("mentors/<int:pk>/edit/", views.mentor_edit, name="mentor-edit"),
    path("matches/", views.match_list, name="mentor-match-list"),
    path("matches/<int:pk>/", views.match_detail, name="mentor-match-detail"),
    path("matches/<int:pk>/confirm/", views.match_confirm, name="mentor-match-confirm"),
    path("matches/<int:pk>/end/", views.match_end, name="mentor-match-end"),
    path("matches/<int:pk>/stipends/", views.match_stipends, name="mentor-match-stipends"),
    path("matches/<int:pk>/log/", views.log_create, name="mentor-log-create"),
    path("logs/<int:pk>/", views.log_detail, name="mentor-log-detail"),
    path("logs/<int:pk>/edit/", views.log_edit, name="mentor-log-edit"),
    path("logs/<int:pk>/reflect/", views.log_reflect, name="mentor-log-reflect"),
    path("training/", views.training, name="mentor-training"),
    path("training/<int:pk>/remove/", views.training_remove, name="mentor-training-remove"),
    path("onboarding/<int:pk>/", views.onboarding_detail, name="onboarding-detail"),
    path("onboarding/tasks/<int:pk>/", views.onboarding_task, name="onboarding-task"),
    path("onboarding/steps/", views.onboarding_items, name="onboarding-items"),
    path("onboarding/steps/<int:pk>/", views.onboarding_item_edit, name="onboarding-item-edit"),
    path("report/", views.report, name="mentoring-report"),
]
