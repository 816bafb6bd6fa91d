"""`tenestetorget routing train | evaluate | predict`, as an operator runs them."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tenestetorget.routing import dataset, models_store


@pytest.fixture
def model_dir(settings, tmp_path: Path) -> Path:
    settings.ROUTING_MODEL_DIR = tmp_path / "routing"
    return settings.ROUTING_MODEL_DIR


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


@pytest.mark.django_db
def test_train_then_predict_and_evaluate(model_dir: Path, tmp_path: Path, capsys) -> None:
    with pytest.raises(CommandError, match="routing train"):
        call_command("routing", "predict", str(_write(tmp_path / "in.jsonl", [])))

    out = StringIO()
    call_command("routing", "train", "--no-history", stdout=out, stderr=StringIO())
    name = (model_dir / "current").read_text().strip()
    assert name in out.getvalue()
    meta = json.loads((model_dir / name).with_suffix(".json").read_text())
    _train, held = dataset.split(dataset.shipped())
    assert meta["training_data_sha256"] and meta["created"] and 0 < meta["threshold"] <= 1.01
    assert meta["includes_held_out"] is False
    assert meta["training_examples"] == len(models_store.training_examples(history_too=False))

    texts = _write(
        tmp_path / "in.jsonl",
        [
            {"id": "a", "subject": "Snøscooterløyve", "body": "Søknad om løyve til snøscooter"},
            {"id": "b", "subject": "", "body": ""},
        ],
    )
    capsys.readouterr()
    call_command("routing", "predict", str(texts))
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    assert lines[0]["queue"] == "motorferdsel"
    assert {"queue", "confidence", "candidates"} <= set(lines[0])
    assert len(lines[0]["candidates"]) == 3

    labelled = _write(
        tmp_path / "held.jsonl",
        [{"id": e.id, "subject": e.subject, "body": e.body, "queue": e.queue} for e in held],
    )
    out = StringIO()
    call_command("routing", "evaluate", str(labelled), stdout=out)
    text = out.getvalue()
    assert "Makro-F1" in text and "Forvekslingar" in text
    figures = json.loads(text.strip().splitlines()[-1])
    assert figures["n"] == len(held)
    assert set(figures) >= {"accuracy", "macro_f1", "top3_accuracy", "coverage", "auto_precision"}


@pytest.mark.django_db
def test_a_bad_file_is_refused_with_its_line(model_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "subject": "s", "body": "b"}\nnot json\n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.jsonl:1: no «queue»"):
        call_command("routing", "evaluate", str(bad))


@pytest.mark.django_db
def test_the_history_and_the_queue_scopes_are_trained_on(model_dir: Path) -> None:
    from tenestetorget.organisation.models import Queue

    examples = models_store.training_examples()
    ids = {e.id for e in examples}
    queues = Queue.objects.filter(active=True).values_list("code", flat=True)
    assert {f"queue-{code}" for code in queues} <= ids
    assert not ids & dataset.held_out_ids()


@pytest.mark.django_db
def test_a_damaged_model_file_gives_no_proposal_and_stops_nothing(model_dir: Path, caplog) -> None:
    from tenestetorget.routing.services import propose

    model_dir.mkdir(parents=True)
    (model_dir / "model-x.joblib").write_bytes(b"not a model")
    (model_dir / "current").write_text("model-x.joblib\n")
    assert propose("Skjenkeløyve", "Søknad om skjenkeløyve") is None
    assert "the model in use failed" in caplog.text
