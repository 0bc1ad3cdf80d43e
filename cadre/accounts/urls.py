from django.urls import path

from cadre.accounts import views

urlpatterns = [path("token/", views.api_token, name="account-token")]
