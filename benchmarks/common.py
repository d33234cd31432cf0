"""What the benchmark scripts share."""

import io
from contextlib import contextmanager

# the six dashboards a council member opens during a meeting (throughput.py, sqlite_meeting.py)
DASHBOARDS = [
    "/council/",
    "/standardization/",
    "/online-procedures/",
    "/rpa/",
    "/analog-review/",
    "/mynumber/",
]


def import_staff(username: str):
    """A prefecture staff member with national scope, who may import for every organisation."""
    from django.contrib.auth import get_user_model

    from council.models import Profile, Role

    user, created = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": True})
    if created:
        Profile.objects.create(user=user, role=Role.STAFF)
    return user


@contextmanager
def national_database(municipalities: int = 1741, quarters: int = 8):
    """A throw-away test database with the seed and a synthetic nation (`generate_nation`), dropped
    afterwards whatever happens."""
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("seed", verbosity=0)
        call_command(
            "generate_nation",
            municipalities=municipalities,
            quarters=quarters,
            seed=1,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
