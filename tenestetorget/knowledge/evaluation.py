"""The quality figure: the share of citizens' questions whose right answer comes first, or
in the first three, when typed into the search."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from tenestetorget.knowledge import search
from tenestetorget.knowledge.rendering import fees_on, to_plain


@dataclass
class Question:
    question: str
    language: str
    terms: list[str]


@dataclass
class Outcome:
    question: Question
    rank: int | None  # 1-based rank of the first correct hit, None when not in the top 3
    top: list[str] = field(default_factory=list)


@dataclass
class Evaluation:
    outcomes: list[Outcome]

    @property
    def total(self) -> int:
        return len(self.outcomes)

    def share(self, within: int) -> float:
        if not self.outcomes:
            return 0.0
        hits = sum(1 for o in self.outcomes if o.rank is not None and o.rank <= within)
        return hits / len(self.outcomes)


def read_questions(path: Path) -> list[Question]:
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            questions.append(
                Question(
                    question=str(data["question"]),
                    language=str(data.get("language", "nn")),
                    terms=[str(t).casefold() for t in data["terms"]],
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: {exc}") from exc
    return questions


def evaluate(questions: list[Question], depth: int = 3) -> Evaluation:
    """A hit is correct when its Nynorsk text (title, summary, body, with today's fees)
    contains every term of the question."""
    fees = fees_on()
    outcomes = []
    for q in questions:
        hits = search.search(q.question, language=q.language, limit=depth, with_text=False)
        rank = None
        for position, hit in enumerate(hits, start=1):
            versions = {v.language: v for v in hit.article.versions.all()}
            text = " ".join(
                to_plain(f"{v.title}\n{v.summary}\n{v.body}\n{v.who}\n{v.how}", v.language, fees)
                for v in versions.values()
            ).casefold()
            if all(term in text for term in q.terms):
                rank = position
                break
        outcomes.append(Outcome(question=q, rank=rank, top=[h.article.slug for h in hits]))
    return Evaluation(outcomes)
