"""The web application's table in the database: its users (no web dependency needed to import)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
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
