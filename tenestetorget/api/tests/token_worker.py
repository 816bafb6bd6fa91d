"""A web worker's view of API tokens, in a process of its own: for each token key read from
standard input it prints `ok USERNAME ROLE` or `refused`, authenticating as the API does
(test_token_revocation.py). Django's settings come from the environment the test gives."""

from __future__ import annotations

import sys

import django


def main() -> None:
    django.setup()
    from rest_framework.exceptions import AuthenticationFailed

    from tenestetorget.api.authentication import StaffTokenAuthentication

    auth = StaffTokenAuthentication()
    print("ready", flush=True)
    for line in sys.stdin:
        try:
            user, _token = auth.authenticate_credentials(line.strip())
        except AuthenticationFailed:
            print("refused", flush=True)
            continue
        print(f"ok {user.username} {user.staff_profile.role}", flush=True)


if __name__ == "__main__":
    main()
