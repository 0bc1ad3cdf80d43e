from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from cadre.growth.alignment import alignment

urlpatterns = [
    path("", include("cadre.districts.urls")),
    path("audit/", include("cadre.audit.urls")),
    path("funding/", include("cadre.funding.urls")),
    path("growth/", include("cadre.growth.urls")),
    path("planning/", include("cadre.planning.urls")),
    path("catalog/", include("cadre.catalog.urls")),
    path("mentoring/", include("cadre.mentoring.urls")),
    path("groups/", include("cadre.collaboration.urls")),
    path("coaching/", include("cadre.coaching.urls")),
    path("alignment/", alignment, name="alignment"),
    path("accounts/", include("cadre.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include(("cadre.api_urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
