"""Tables of the central service (SQLAlchemy Core, on a MetaData of its own).

The central tables live in their own MetaData so they never collide with the kiosk
cache's SQLModel tables when both are imported in one process (tests, the demo).

Change sequence: every locker row holds a counter, `change_seq`. Each change to one of
its parcels, courier assignments or events takes the next value(s) of that counter in
the same transaction (UPDATE ... RETURNING, which row-locks the locker until commit), and
stamps the changed row with it. Because the counter row stays locked until the writer
commits, a value is handed out only after every smaller value of that locker is
committed or rolled back; a reader therefore never sees seq 7 while seq 6 is still in
flight, and "everything with change_seq > cursor" never skips a change. A global
autoincrement id would not have that property on PostgreSQL (ids are allocated at
insert but become visible at commit, out of order).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

metadata = MetaData()


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite (naive) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


lockers = Table(
    "central_locker",
    metadata,
    Column("locker_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("address", String(500), nullable=False, default=""),
    Column("timezone", String(64), nullable=False, default="UTC"),
    Column("code_salt", String(64), nullable=False),
    Column("kdf_n", Integer, nullable=False),
    Column("kdf_r", Integer, nullable=False),
    Column("kdf_p", Integer, nullable=False),
    Column("kdf_dklen", Integer, nullable=False),
    Column("layout", JSON, nullable=False),
    Column("layout_version", Integer, nullable=False, default=1),
    Column("change_seq", BigInteger, nullable=False, default=0),
    Column("created_at", UtcDateTime, nullable=False),
)

locker_status = Table(
    "central_locker_status",
    metadata,
    Column("locker_id", String(64), ForeignKey(lockers.c.locker_id), primary_key=True),
    Column("last_heartbeat_at", UtcDateTime),
    Column("sent_at", UtcDateTime),
    Column("software_version", String(64)),
    Column("outbox_depth", Integer),
    Column("last_event_seq", BigInteger),
    Column("board_ok", Boolean),
    Column("compartments", JSON),
)

tokens = Table(
    "central_token",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),  # "device" | "operator"
    Column("locker_id", String(64), ForeignKey(lockers.c.locker_id), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
    Index("ix_central_token_locker", "locker_id"),
)

parcels = Table(
    "central_parcel",
    metadata,
    Column("parcel_id", String(64), primary_key=True),
    Column("locker_id", String(64), ForeignKey(lockers.c.locker_id), nullable=False),
    Column("order_ref", String(128), nullable=False),
    Column("state", String(16), nullable=False),
    Column("size", String(4), nullable=False),
    Column("compartment_id", String(32)),
    Column("barcode", String(128), nullable=False),
    Column("pickup_code_hash", String(128)),
    Column("pickup_deadline", UtcDateTime, nullable=False),
    Column("recipient_hint", String(200)),
    Column("accessible", Boolean, nullable=False, server_default=false()),
    Column("version", Integer, nullable=False),
    Column("change_seq", BigInteger, nullable=False),
    # occurred_at (kiosk clock) of the last physical event applied; older ones are stale
    Column("physical_at", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("locker_id", "order_ref", name="uq_central_parcel_order_ref"),
    Index("ix_central_parcel_pull", "locker_id", "change_seq"),
    Index("ix_central_parcel_deadline", "state", "pickup_deadline"),
    Index("ix_central_parcel_barcode", "locker_id", "barcode"),
)

couriers = Table(
    "central_courier",
    metadata,
    Column("courier_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# One row per (courier, locker) ever assigned: hashes use that locker's salt, and an
# unassignment stays as a row (assigned = false) so the locker pulls it as inactive.
courier_lockers = Table(
    "central_courier_locker",
    metadata,
    Column("courier_id", String(64), ForeignKey(couriers.c.courier_id), nullable=False),
    Column("locker_id", String(64), ForeignKey(lockers.c.locker_id), nullable=False),
    Column("pin_hash", String(128)),
    Column("badge_hash", String(128)),
    Column("assigned", Boolean, nullable=False),
    Column("change_seq", BigInteger, nullable=False),
    PrimaryKeyConstraint("courier_id", "locker_id"),
    Index("ix_central_courier_pull", "locker_id", "change_seq"),
)

events = Table(
    "central_event",
    metadata,
    Column("event_id", String(36), primary_key=True),
    Column("locker_id", String(64), ForeignKey(lockers.c.locker_id), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("type", String(64), nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("parcel_id", String(64)),
    Column("compartment_id", String(32)),
    Column("actor_kind", String(16), nullable=False),
    Column("actor_id", String(64)),
    Column("data", JSON, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("change_seq", BigInteger, nullable=False),
    Index("ix_central_event_log", "locker_id", "change_seq"),
    Index("ix_central_event_seq", "locker_id", "seq"),
    Index("ix_central_event_type", "type", "received_at"),
)

commands = Table(
    "central_command",
    metadata,
    Column("command_id", String(36), primary_key=True),
    Column("locker_id", String(64), ForeignKey(lockers.c.locker_id), nullable=False),
    Column("type", String(32), nullable=False),
    Column("compartment_id", String(32)),
    Column("reason", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("delivered_at", UtcDateTime),
    Column("result_at", UtcDateTime),
    Column("result", JSON),
    Index("ix_central_command_open", "locker_id", "status"),
)

# --------------------------------------------------------------------------- console
# Operator accounts of the web console, their sessions and the audit trail of what
# they did. Passwords are scrypt hashes (central/operators.py); session tokens are
# stored as sha256 like bearer tokens.

operators = Table(
    "central_operator",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(16), nullable=False),  # admin | support | viewer
    Column("password_hash", String(256), nullable=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_login_at", UtcDateTime),
)

operator_sessions = Table(
    "central_operator_session",
    metadata,
    Column("session_hash", String(64), primary_key=True),
    Column(
        "operator", String(64), ForeignKey(operators.c.name, ondelete="CASCADE"), nullable=False
    ),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Index("ix_central_operator_session_operator", "operator"),
)

audit = Table(
    "central_audit",
    metadata,
    Column("audit_id", Integer, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime, nullable=False),
    Column("operator", String(64)),  # None: an unknown name at sign-in
    Column("action", String(64), nullable=False),
    Column("target", String(200)),
    Column("detail", JSON, nullable=False),
    Column("client", String(64)),
    Index("ix_central_audit_at", "at"),
)

# An acknowledged alarm: the alarm itself stays derived (central/fleet.py); this row
# says who acknowledged that occurrence (locker, code, compartment, since) and why.
alarm_acks = Table(
    "central_alarm_ack",
    metadata,
    Column("ack_id", Integer, primary_key=True, autoincrement=True),
    Column("alarm_key", String(300), nullable=False, unique=True),
    Column("locker_id", String(64), nullable=False),
    Column("code", String(64), nullable=False),
    Column("compartment_id", String(32)),
    Column("since", UtcDateTime),
    Column("operator", String(64), nullable=False),
    Column("note", Text, nullable=False),
    Column("acked_at", UtcDateTime, nullable=False),
)

# Wrong operator passwords and wrong bearer tokens, counted per client address.
throttles = Table(
    "central_throttle",
    metadata,
    Column("scope", String(16), nullable=False),  # "login" | "token"
    Column("client", String(64), nullable=False),
    Column("failures", Integer, nullable=False),
    Column("window_start", UtcDateTime, nullable=False),
    Column("blocked_until", UtcDateTime),
    Column("blocked_since", UtcDateTime),
    Column("last_subject", String(200)),
    PrimaryKeyConstraint("scope", "client"),
)

# --------------------------------------------------------------------------- notifications
# The customer's contact and, while the parcel can still be picked up, its pickup code
# sealed with the server's key (AES-GCM, central/secretbox.py): the plain code exists
# only in the announce answer, yet the customer must get it when the parcel is stored,
# in the reminder, and when support resends it. The sealed code is erased when the
# parcel leaves `expected`/`stored` (picked up, expired, cancelled, collected).
parcel_contacts = Table(
    "central_parcel_contact",
    metadata,
    Column("parcel_id", String(64), ForeignKey(parcels.c.parcel_id), primary_key=True),
    Column("email", String(254)),
    Column("phone", String(16)),
    Column("sealed_code", Text),
    Column("erased_at", UtcDateTime),
    Index("ix_central_parcel_contact_phone", "phone"),
)

notifications = Table(
    "central_notification",
    metadata,
    Column("notification_id", String(36), primary_key=True),
    Column("parcel_id", String(64), ForeignKey(parcels.c.parcel_id), nullable=False),
    Column("kind", String(16), nullable=False),  # stored | reminder | expired
    Column("channel", String(8), nullable=False),  # email | sms
    Column("status", String(16), nullable=False),  # waiting | due | sent | failed | dropped
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_at", UtcDateTime),
    Column("last_error", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime),
    Index("ix_central_notification_due", "status", "next_at"),
    Index("ix_central_notification_parcel", "parcel_id"),
)

# --------------------------------------------------------------------------- webhooks
webhook_endpoints = Table(
    "central_webhook_endpoint",
    metadata,
    Column("endpoint_id", String(36), primary_key=True),
    Column("url", String(2000), nullable=False),
    Column("secret", String(128), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

# One row per (event, endpoint): the event id is stable across retries, so a receiver
# that saw it before can drop the repeat (delivery is at least once).
webhook_deliveries = Table(
    "central_webhook_delivery",
    metadata,
    Column("delivery_id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False),
    Column(
        "endpoint_id",
        String(36),
        ForeignKey(webhook_endpoints.c.endpoint_id, ondelete="CASCADE"),
        nullable=False,
    ),
    Column("type", String(64), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("status", String(16), nullable=False),  # due | sent | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_at", UtcDateTime, nullable=False),
    Column("last_status", Integer),
    Column("last_error", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime),
    UniqueConstraint("event_id", "endpoint_id", name="uq_central_webhook_delivery"),
    Index("ix_central_webhook_due", "status", "next_at"),
)

# Periodic work (deadline sweep, reminders) is done by one process of the deployment at
# a time: the one holding this lease. Queued work (notifications, webhook deliveries) is
# claimed row by row (FOR UPDATE SKIP LOCKED on PostgreSQL), so any process may send.
leases = Table(
    "central_lease",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("holder", String(64), nullable=False),
    Column("until", UtcDateTime, nullable=False),
)
