"""The web application's tables in the database: its users and their sessions (no web dependency needed to import)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from xxgk.db.base import Base


class WebUser(Base):
    """Someone who signs in to the web application; ``role`` is clerk, reviewer or admin."""

    __tablename__ = "web_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))  # Argon2
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Set when an administrator disables the account (``xxgk users disable``): it can no longer sign in.
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class WebSession(Base):
    """A signed-in session: the cookie holds a random token, the database its SHA-256 (``id``).

    Signing out deletes the row; changing a user's password or disabling the user deletes all
    of theirs (``xxgk.web.auth.end_sessions``): a copied cookie is worth nothing afterwards.
    """

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("web_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
