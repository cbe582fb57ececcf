"""Errors a user can act on.

Every failure that reaches a user is a ``RasadError`` subclass with a one-line message.
The CLI prints it and exits with ``exit_code``; the web layer turns it into a problem
response with ``http_status``.
"""


class RasadError(Exception):
    """A failure with a message meant for the user."""

    exit_code = 1
    http_status = 500


class BadInput(RasadError):
    """The input (a file, URL, query or option) cannot be used as given."""

    exit_code = 2
    http_status = 400


class NotFound(RasadError):
    exit_code = 2
    http_status = 404


class ConfigError(RasadError):
    exit_code = 2
    http_status = 500


class FetchError(RasadError):
    """A URL could not be fetched; the message says why (status, timeout, policy)."""

    exit_code = 1
    http_status = 502


class FetchRefused(FetchError):
    """Policy refused the fetch before any byte was sent (SSRF guard, robots.txt, scheme)."""

    exit_code = 2
    http_status = 403


class StoreError(RasadError):
    exit_code = 1


class NotAuthenticated(RasadError):
    """The request needs a signed-in user or an API token and has neither (or a bad one)."""

    exit_code = 2
    http_status = 401


class Forbidden(RasadError):
    """The signed-in user's role does not allow this, or a form's CSRF token is wrong."""

    exit_code = 2
    http_status = 403


class DeliveryError(RasadError):
    """An alert message could not be delivered this time (SMTP, webhook); the outbox
    records the message and retries later."""

    exit_code = 1
    http_status = 502
