from django.urls import path

from cadre.districts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("settings/", views.district_settings, name="district-settings"),
    path("schools/", views.school_list, name="school-list"),
    path("schools/new/", views.school_create, name="school-create"),
    path("schools/<int:pk>/", views.school_detail, name="school-detail"),
    path("schools/<int:pk>/edit/", views.school_edit, name="school-edit"),
    path("programs/", views.program_list, name="program-list"),
    path("programs/new/", views.program_create, name="program-create"),
    path("programs/<int:pk>/", views.program_detail, name="program-detail"),
    path("programs/<int:pk>/edit/", views.program_edit, name="program-edit"),
    path("school-years/", views.school_year_list, name="school-year-list"),
    path("school-years/new/", views.school_year_create, name="school-year-create"),
    path("school-years/<int:pk>/edit/", views.school_year_edit, name="school-year-edit"),
    path(
        "school-years/<int:pk>/make-current/",
        views.school_year_make_current,
        name="school-year-make-current",
    ),
    path("staff/", views.staff_list, name="staff-list"),
    path("staff/new/", views.staff_create, name="staff-create"),
    path("staff/<int:pk>/", views.staff_detail, name="staff-detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff-edit"),
    path("staff/<int:pk>/deactivate/", views.staff_deactivate, name="staff-deactivate"),
    path("staff/<int:pk>/reactivate/", views.staff_reactivate, name="staff-reactivate"),
    path("assignments/", views.assignment_list, name="assignment-list"),
    path("assignments/new/", views.assignment_create, name="assignment-create"),
    path("assignments/<int:pk>/edit/", views.assignment_edit, name="assignment-edit"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment-end"),
    path("imports/", views.import_list, name="import-list"),
    path("imports/new/", views.import_create, name="import-create"),
    path("imports/hr-data/new/", views.staff_data_create, name="staff-data-create"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
]
