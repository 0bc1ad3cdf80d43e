from django.urls import path

from cadre.audit import views

urlpatterns = [path("", views.event_list, name="audit-list")]
