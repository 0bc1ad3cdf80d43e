def nav_for(actor):
    return []
