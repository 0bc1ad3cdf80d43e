"""Funding's pages, gathered from each area's views."""

from cadre.funding.views import budgets, monitoring, plans, sources, stipends, transfers

urlpatterns = [
    *monitoring.urls,
    *sources.urls,
    *budgets.urls,
    *transfers.urls,
    *stipends.urls,
    *plans.urls,
]
