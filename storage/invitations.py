"""Invitations on SQL; redeeming one is a single conditional UPDATE, so one person wins a race."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col

from bot.domain import Sector
from bot.invitations import Invitation
from storage.tables import InvitationRow


class SqlInvitationRepository:
    """Implements :class:`bot.ports.InvitationRepository` on the unit of work's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, invitation: Invitation) -> None:
        self._session.add(_row(invitation))

    def get(self, key: str) -> Invitation | None:
        row = self._session.get(InvitationRow, key, populate_existing=True)
        return None if row is None else _invitation(row)

    def redeem(
        self, key: str, platform: str, workspace: str, user_id: str, now: datetime
    ) -> Invitation | None:
        """See the port. The WHERE clause is evaluated again after a competing transaction
        commits (PostgreSQL re-checks the updated row; SQLite lets one writer in at a time), so
        the loser updates nothing and gets ``None``."""
        statement = (
            update(InvitationRow)
            .where(
                col(InvitationRow.key) == key,
                col(InvitationRow.platform) == platform,
                col(InvitationRow.workspace) == workspace,
                col(InvitationRow.redeemed_by).is_(None),
                col(InvitationRow.expires_at) > now,
            )
            .values(redeemed_by=user_id, redeemed_at=now)
            .returning(col(InvitationRow.key))
            .execution_options(synchronize_session=False)
        )
        if self._session.exec(statement).first() is None:
            return None
        return self.get(key)


def _row(invitation: Invitation) -> InvitationRow:
    return InvitationRow(
        key=invitation.key,
        collaboration_id=invitation.collaboration_id,
        platform=invitation.platform,
        workspace=invitation.workspace,
        organisation=invitation.organisation,
        sector=invitation.sector.value if invitation.sector else None,
        created_by=invitation.created_by,
        created_at=invitation.created_at,
        expires_at=invitation.expires_at,
        redeemed_by=invitation.redeemed_by,
        redeemed_at=invitation.redeemed_at,
    )


def _invitation(row: InvitationRow) -> Invitation:
    return Invitation(
        key=row.key,
        collaboration_id=row.collaboration_id,
        platform=row.platform,
        workspace=row.workspace,
        organisation=row.organisation,
        sector=Sector(row.sector) if row.sector else None,
        created_by=row.created_by,
        created_at=row.created_at,
        expires_at=row.expires_at,
        redeemed_by=row.redeemed_by,
        redeemed_at=row.redeemed_at,
    )
