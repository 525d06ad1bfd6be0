"""Case assessment results: one row per case assessed, its key-question answers and findings."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from db.base import StoreError, write_transaction
from db.history import now_utc, record_change
from db.reference import validation_context
from findings.models import KEY_QUESTIONS, CaseAssessment, KeyAnswer, Rosh

if TYPE_CHECKING:
    import sqlite_utils


@dataclass(frozen=True)
class KeyQuestionScore:
    """The answers to one key question over a period: counts and the % Yes a scorecard shows."""

    question: str
    yes: int = 0
    no: int = 0
    not_applicable: int = 0

    @property
    def answered(self) -> int:
        """Cases with a Yes or No (Not applicable does not count for or against)."""
        return self.yes + self.no

    @property
    def percent_yes(self) -> float | None:
        """% Yes of the cases answered, or None if none were."""
        return 100 * self.yes / self.answered if self.answered else None


_COLUMNS = (
    "id, audit_ref, pdu, assessed_on, rosh, crn, q_assessment, q_planning, "
    "q_implementation_delivery, q_reviewing, recorded_by"
)


def save_case_assessment(
    db: sqlite_utils.Database,
    assessment: CaseAssessment,
    *,
    actor: str | None = None,
    today: date | None = None,
) -> CaseAssessment:
    """Record (or correct) one case assessed, with the findings attached to it."""
    assessment = CaseAssessment.model_validate(
        assessment.model_dump(), context=validation_context(db, today=today)
    )
    row = [
        str(assessment.id),
        assessment.audit_ref,
        assessment.pdu,
        assessment.assessed_on.isoformat(),
        assessment.rosh.value,
        assessment.crn,
        *(assessment.answers[q].value for q in KEY_QUESTIONS),
        assessment.recorded_by,
    ]
    with write_transaction(db):
        seqs: list[int] = []
        for finding_id in assessment.finding_ids:
            found = db.execute(
                "SELECT seq FROM findings WHERE id = ?", [str(finding_id)]
            ).fetchone()
            if found is None:
                raise StoreError(f"No finding with id {finding_id} to attach.")
            seqs.append(found[0])
        existing = db.execute(
            "SELECT 1 FROM case_assessments WHERE id = ?", [str(assessment.id)]
        ).fetchone()
        if existing:
            before = get_case_assessment(db, assessment.id)
            db.execute(
                "UPDATE case_assessments SET audit_ref = ?, pdu = ?, assessed_on = ?, rosh = ?, "
                "crn = ?, q_assessment = ?, q_planning = ?, q_implementation_delivery = ?, "
                "q_reviewing = ?, recorded_by = ? WHERE id = ?",
                [*row[1:], row[0]],
            )
        else:
            before = None
            db.execute(
                f"INSERT INTO case_assessments ({_COLUMNS}, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [*row, now_utc()],
            )
        db.execute(
            "DELETE FROM case_assessment_findings WHERE assessment_id = ?", [str(assessment.id)]
        )
        db.conn.executemany(
            "INSERT OR IGNORE INTO case_assessment_findings (assessment_id, finding_seq) "
            "VALUES (?, ?)",
            [(str(assessment.id), seq) for seq in seqs],
        )
        record_change(
            db,
            entity="case_assessment",
            entity_id=str(assessment.id),
            action="update" if existing else "create",
            before=before.model_dump(mode="json") if before else None,
            after=assessment.model_dump(mode="json"),
            actor=actor,
        )
    return assessment


def _row_to_assessment(row: tuple[Any, ...], finding_ids: list[uuid.UUID]) -> CaseAssessment:
    answers = dict(zip(KEY_QUESTIONS, (KeyAnswer(str(a)) for a in row[6:10]), strict=True))
    return CaseAssessment.model_construct(
        id=uuid.UUID(str(row[0])),
        audit_ref=row[1],
        pdu=row[2],
        assessed_on=date.fromisoformat(str(row[3])),
        rosh=Rosh(str(row[4])),
        crn=row[5],
        answers=answers,
        finding_ids=finding_ids,
        recorded_by=row[10],
    )


def _attached(db: sqlite_utils.Database, assessment_id: str) -> list[uuid.UUID]:
    return [
        uuid.UUID(r[0])
        for r in db.execute(
            "SELECT f.id FROM case_assessment_findings caf JOIN findings f "
            "ON f.seq = caf.finding_seq WHERE caf.assessment_id = ? ORDER BY f.seq",
            [assessment_id],
        ).fetchall()
    ]


def get_case_assessment(
    db: sqlite_utils.Database, assessment_id: uuid.UUID | str
) -> CaseAssessment | None:
    """One case assessment with its attached findings, or None."""
    row = db.execute(
        f"SELECT {_COLUMNS} FROM case_assessments WHERE id = ? AND deleted_at IS NULL",
        [str(assessment_id)],
    ).fetchone()
    return _row_to_assessment(row, _attached(db, str(row[0]))) if row else None


def list_case_assessments(
    db: sqlite_utils.Database,
    start: date | None = None,
    end: date | None = None,
    *,
    pdu: str | None = None,
    audit_ref: str | None = None,
    limit: int = 500,
) -> list[CaseAssessment]:
    """Case assessments in a date range (inclusive), newest first, with attached findings."""
    clauses, params = _scope(start, end, pdu)
    if audit_ref:
        clauses.append("audit_ref = ?")
        params.append(audit_ref)
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM case_assessments WHERE {' AND '.join(clauses)} "
        "ORDER BY assessed_on DESC, created_at DESC LIMIT ?",
        [*params, limit],
    ).fetchall()
    return [_row_to_assessment(r, _attached(db, str(r[0]))) for r in rows]


def _scope(start: date | None, end: date | None, pdu: str | None) -> tuple[list[str], list[str]]:
    clauses = ["deleted_at IS NULL"]
    params: list[str] = []
    if start:
        clauses.append("assessed_on >= ?")
        params.append(start.isoformat())
    if end:
        clauses.append("assessed_on <= ?")
        params.append(end.isoformat())
    if pdu:
        clauses.append("pdu = ?")
        params.append(pdu)
    return clauses, params


def key_question_scores(
    db: sqlite_utils.Database, start: date, end: date, pdu: str | None = None
) -> dict[str, KeyQuestionScore]:
    """Yes / No / Not applicable counts per key question for cases assessed in [start, end]."""
    clauses, params = _scope(start, end, pdu)
    where = " AND ".join(clauses)
    scores: dict[str, KeyQuestionScore] = {}
    for question in KEY_QUESTIONS:
        column = f"q_{question}"  # from the fixed KEY_QUESTIONS keys, never user text
        counts = dict(
            db.execute(
                f"SELECT {column}, count(*) FROM case_assessments WHERE {where} GROUP BY {column}",
                params,
            ).fetchall()
        )
        scores[question] = KeyQuestionScore(
            question=question,
            yes=int(counts.get(KeyAnswer.YES.value, 0)),
            no=int(counts.get(KeyAnswer.NO.value, 0)),
            not_applicable=int(counts.get(KeyAnswer.NOT_APPLICABLE.value, 0)),
        )
    return scores


def delete_case_assessment(
    db: sqlite_utils.Database, assessment_id: uuid.UUID | str, *, actor: str | None = None
) -> None:
    """Mark a case assessment deleted (it stops counting in scores)."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE case_assessments SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
            [now_utc(), str(assessment_id)],
        )
        if cursor.rowcount != 1:
            raise StoreError(f"No case assessment with id {assessment_id}.")
        record_change(
            db,
            entity="case_assessment",
            entity_id=str(assessment_id),
            action="delete",
            before=None,
            after=None,
            actor=actor,
        )
