"""The catalogue's pages, gathered from each area's views."""

from cadre.catalog.views import attendance, calendar, offerings, registration, transcript

urlpatterns = [
    *offerings.urls,
    *registration.urls,
    *attendance.urls,
    *transcript.urls,
    *calendar.urls,
]
