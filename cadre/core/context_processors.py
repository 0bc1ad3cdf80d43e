from cadre.core.nav import nav_for


def actor(request):
    actor = getattr(request, "actor", None)
    return {"actor": actor, "nav": nav_for(actor) if actor else []}
