"""The gateway owns nothing of the domain. Login, the staff UI and AccessLogged arrive with the
gateway issue; until then it keeps an activity feed (projections.py) for the staff home page."""
