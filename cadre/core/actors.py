"""Who is acting, and whether they may: core's middleware and API base ask here, and the
districts app, which owns staff records and access (cadre/districts/access.py), plugs in its
answers when it is ready."""

from cadre.core.slots import Slot

# The session's chosen district, for a login with staff records in several districts.
DISTRICT_SESSION_KEY = "cadre_district"

# actor_for(user, *, district_id=None, district_slug=None) -> Actor | None
actor_for = Slot("actor_for")
# districts_for(user) -> list of the districts where the login has an active staff record
districts_for = Slot("districts_for")
# require(actor, action, obj_or_model): PermissionDenied (403) unless the actor may
require = Slot("access.require")
