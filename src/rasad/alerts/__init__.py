"""Alerts: saved searches matched against every new document as it is ingested, an outbox
of messages, and their delivery by e-mail, signed webhook and Atom feed.

    spec.py      what an alert is (query, filters, channels, frequency) and its checks
    saved.py     saved searches in the store: create, edit, mute, list, history
    matcher.py   the query language and filters evaluated on one document (pure)
    on_ingest.py active saved searches compiled once per ingest run; outbox rows written
                 in the ingesting transaction
    outbox.py    claiming due rows with a lease, retries with backoff, digests' schedule
    messages.py  what a message says about each document (title, source, snippet, threat)
    email.py     SMTP; webhook.py signed JSON POST; feed.py Atom
    worker.py    `rasad alerts deliver`: claim, send, settle
    preview.py   `rasad alerts test`: what would have matched in the last days

The formats and settings are described in docs/ALERTS.md.
"""
