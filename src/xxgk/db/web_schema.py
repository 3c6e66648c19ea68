"""The web application's table in the database: its users (no web dependency needed to import)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, text
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
    # Raised whenever the user's sessions must end (password changed, account disabled): a session
    # remembers the number it was signed in under and is refused once they differ.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
