"""SQLAlchemy 2 tables. Schema changes go through an Alembic migration (store/migrations)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no zone by itself)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict: JSON}


class Source(Base):
    __tablename__ = "source"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    kind: Mapped[str] = mapped_column(String(20))  # rss, web, telegram, sitemap, file
    url: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(10), default="")  # hint; "prs" for Dari
    country: Mapped[str] = mapped_column(String(100), default="")
    affiliation: Mapped[str] = mapped_column(String(200), default="")
    schedule_minutes: Mapped[int] = mapped_column(Integer, default=60)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    last_fetched_at: Mapped[datetime | None]
    last_status: Mapped[str] = mapped_column(String(20), default="")  # ok, not_modified, failed
    last_error: Mapped[str] = mapped_column(Text, default="")
    failures: Mapped[int] = mapped_column(Integer, default=0)  # consecutive
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Capture(Base):
    """Evidence: one fetched or imported item, byte-for-byte. Never updated."""

    __tablename__ = "capture"
    __table_args__ = (UniqueConstraint("url", "sha256", name="uq_capture_url_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"), index=True)
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str] = mapped_column(Text, default="")
    fetched_at: Mapped[datetime]
    http_status: Mapped[int | None]
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    content_type: Mapped[str] = mapped_column(String(200), default="")
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    blob_key: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Document(Base):
    """Text extracted from a capture. A changed page is a new row with version + 1."""

    __tablename__ = "document"
    __table_args__ = (
        UniqueConstraint("doc_key", "content_hash", name="uq_document_key_hash"),
        UniqueConstraint("doc_key", "version", name="uq_document_key_version"),
        Index("ix_document_published", "published_at"),
        Index("ix_document_lang_published", "language", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    capture_id: Mapped[int] = mapped_column(ForeignKey("capture.id"), index=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"), index=True)
    doc_key: Mapped[str] = mapped_column(Text)  # identity across versions: URL (+ item key)
    version: Mapped[int] = mapped_column(Integer, default=1)
    is_latest: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    url: Mapped[str] = mapped_column(Text, default="")
    item_key: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None]
    language: Mapped[str] = mapped_column(String(10), default="und")
    dialect: Mapped[str | None] = mapped_column(String(10))
    script: Mapped[str] = mapped_column(String(10), default="Zyyy")
    text: Mapped[str] = mapped_column(Text, default="")
    text_norm: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    story_id: Mapped[int | None] = mapped_column(Integer, index=True)
    meta: Mapped[dict] = mapped_column(JSON, default=dict)
    stages: Mapped[dict] = mapped_column(JSON, default=dict)  # stage name -> version applied
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class IngestJob(Base):
    """One run of `rasad ingest` / a source poll, with per-item results in ingest_item."""

    __tablename__ = "ingest_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # ingest, poll
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default="running")
    stats: Mapped[dict] = mapped_column(JSON, default=dict)


class IngestItem(Base):
    __tablename__ = "ingest_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("ingest_job.id"), index=True)
    target: Mapped[str] = mapped_column(Text)  # path or URL as given
    status: Mapped[str] = mapped_column(String(20))  # new, unchanged, not_modified, failed
    error: Mapped[str] = mapped_column(Text, default="")
    documents: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- knowledge base and extraction output (filled by the extraction stage) ---------------


class Entity(Base):
    """An actor. A merge points ``merged_into_id`` at the surviving actor and moves
    nothing, so that unmerging restores exactly what was there."""

    __tablename__ = "entity"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(200), unique=True)  # stable slug
    origin: Mapped[str] = mapped_column(String(40), default="starter")  # starter, analyst, learned, stix
    canonical: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # person, organization, outlet, state, place, group
    country: Mapped[str] = mapped_column(String(100), default="")
    affiliation: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("entity.id"))
    meta: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Alias(Base):
    __tablename__ = "alias"
    __table_args__ = (UniqueConstraint("entity_id", "key", name="uq_alias_entity_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(10), default="")
    script: Mapped[str] = mapped_column(String(10), default="")
    key: Mapped[str] = mapped_column(String(300), index=True)  # normalised
    provenance: Mapped[str] = mapped_column(String(200), default="")  # starter, analyst:NAME, document:N
    status: Mapped[str] = mapped_column(String(20), default="accepted")  # accepted, proposed, rejected
    in_text: Mapped[bool] = mapped_column(Boolean, default=True)  # False: resolves a name, never matched in text
    ambiguous: Mapped[bool] = mapped_column(Boolean, default=False)  # the name may also stand for another actor
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Mention(Base):
    __tablename__ = "mention"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entity.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    canonical: Mapped[str] = mapped_column(Text, default="")  # the KB name, or the text for unknown actors
    kind: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(Text, default="")  # a title or role given with the name
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    stage_version: Mapped[int] = mapped_column(Integer, default=1)


class Statement(Base):
    __tablename__ = "statement"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    speaker_entity_id: Mapped[int | None] = mapped_column(ForeignKey("entity.id"), index=True)
    speaker_text: Mapped[str] = mapped_column(Text, default="")  # canonical name when resolved
    speaker_name: Mapped[str] = mapped_column(Text, default="")  # the name as written
    speaker_role: Mapped[str] = mapped_column(Text, default="")
    quote: Mapped[str] = mapped_column(Text)
    quote_translation: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(10))  # direct, indirect
    date_said: Mapped[str | None] = mapped_column(String(10), index=True)
    outlet: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    stage_version: Mapped[int] = mapped_column(Integer, default=1)


class DateMention(Base):
    __tablename__ = "date_mention"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    calendar: Mapped[str] = mapped_column(String(20))
    iso: Mapped[str | None] = mapped_column(String(10))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    stage_version: Mapped[int] = mapped_column(Integer, default=1)


class Threat(Base):
    __tablename__ = "threat"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    statement_id: Mapped[int | None] = mapped_column(ForeignKey("statement.id"))
    category: Mapped[str] = mapped_column(String(40), index=True)
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(20), default="report")  # call, threat, praise, report, denial
    negated: Mapped[bool] = mapped_column(Boolean, default=False)
    actor: Mapped[str] = mapped_column(Text, default="")
    target: Mapped[str] = mapped_column(Text, default="")
    stage_version: Mapped[int] = mapped_column(Integer, default=1)


class Relation(Base):
    __tablename__ = "relation"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    source_entity_id: Mapped[int | None] = mapped_column(ForeignKey("entity.id"), index=True)
    source_text: Mapped[str] = mapped_column(Text, default="")
    type: Mapped[str] = mapped_column(String(30), index=True)
    target_entity_id: Mapped[int | None] = mapped_column(ForeignKey("entity.id"), index=True)
    target_text: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[float] = mapped_column(Float, default=0.5)
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    stage_version: Mapped[int] = mapped_column(Integer, default=1)


class Translation(Base):
    __tablename__ = "translation"
    __table_args__ = (
        UniqueConstraint("document_id", "segment", "target_language", name="uq_translation_seg"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    segment: Mapped[int] = mapped_column(Integer)
    source_text: Mapped[str] = mapped_column(Text, default="")
    target_language: Mapped[str] = mapped_column(String(10), default="en")
    engine: Mapped[str] = mapped_column(String(100), default="")
    translator: Mapped[str] = mapped_column(String(100), default="")
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="machine")  # machine, draft, reviewed
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- accounts, alerts, audit ----------------------------------------------------------------


class User(Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(300), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20))  # admin, analyst, subscriber
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # a web session names the epoch it was issued in; logging out moves the epoch on, so
    # every cookie issued before (a copied one too) stops working
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)  # SHA-256 hex of the token
    prefix: Mapped[str] = mapped_column(String(20), default="")  # its first characters, to tell tokens apart
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class SavedSearch(Base):
    """An alert: a query with filters, matched against every new document on ingest
    (rasad.alerts). ``filters``, ``channels``: see rasad.alerts.spec."""

    __tablename__ = "saved_search"
    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_saved_search_user_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    query: Mapped[str] = mapped_column(Text, default="")
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    min_threat_score: Mapped[float] = mapped_column(Float, default=0.0)
    channels: Mapped[dict] = mapped_column(JSON, default=dict)
    frequency: Mapped[str] = mapped_column(String(20), default="immediate")  # immediate, hourly, daily
    muted: Mapped[bool] = mapped_column(Boolean, default=False)
    # only items dated (published, else ingested) from the alert's creation on
    new_only: Mapped[bool] = mapped_column(Boolean, default=True)
    feed_token: Mapped[str | None] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Delivery(Base):
    """Outbox: one row per (saved search, document, channel), written in the ingesting
    transaction; a worker claims due rows with a lease (rasad.alerts.outbox)."""

    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("saved_search_id", "document_id", "channel", name="uq_delivery"),
        Index("ix_delivery_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    saved_search_id: Mapped[int] = mapped_column(ForeignKey("saved_search.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))  # email, webhook, atom
    # pending, sending (claimed), retry, delivered, failed, cancelled
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    lease_owner: Mapped[str | None] = mapped_column(String(64))  # the claim that holds the row
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]


class AppState(Base):
    """Small named values the application keeps (e.g. the hash of the seeded starter KB)."""

    __tablename__ = "app_state"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(100))
    target: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
