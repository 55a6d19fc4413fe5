"""Mass letters: `guichet letters render --template NAME --for QUERY`, its progress
bar and JSON summary, and a run interrupted by a crash then resumed."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from typing import Any

from django.core.management import CommandError, call_command

import pytest

from guichet.audit.models import AuditEvent
from guichet.audit.verification import chain_verify
from guichet.correspondence import archive, batchrun, pdf, pdfcheck, services
from guichet.correspondence.models import Counter, Letter, LetterBatch
from tests.correspondence.factories import person_with_address

pytestmark = pytest.mark.django_db

COUNT = 5


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class PowerCut(Exception):
    pass


@pytest.fixture
def recipients(db: Any) -> list[Any]:
    return [
        person_with_address(
            surname=f"Claes{index}",
            language=("fr", "nl", "de", "en")[index % 4],
            address={
                "street": "Kerkstraat",
                "house_number": str(index + 1),
                "postal_code": "9000",
                "municipality": "Gent",
            },
        )
        for index in range(COUNT)
    ]


@pytest.fixture
def clerk(writer: Callable[..., Any], templates: int) -> Any:
    return writer("C", role="support_agent")


def _render(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command(
        "letters",
        "render",
        "--agent",
        "support_agent-C",
        "--workers",
        "1",
        "--chunk",
        "2",
        "--json",
        *args,
        stdout=out,
    )
    return json.loads(out.getvalue())


def _five_more_in_gent() -> None:
    for index in range(COUNT, 2 * COUNT):
        person_with_address(
            surname=f"Claes{index}",
            address={"postal_code": "9000", "municipality": "Gent"},
        )


def _run_in_process(clerk: Any, batch: LetterBatch, *, chunk: int) -> list[str]:
    return list(
        batchrun.run(
            actor=clerk,
            batch=batch,
            report=batchrun.Report(batch=""),
            workers=1,
            chunk=chunk,
        )
    )


def _sequences() -> list[int]:
    return sorted(Letter.objects.values_list("sequence", flat=True))


def test_renders_one_archived_letter_per_person_with_a_json_summary(
    clerk: Any, recipients: list[Any]
) -> None:
    summary = _render("--template", "acknowledgement", "--for", "municipality=gent")

    batch = LetterBatch.objects.get()
    assert summary["batch"] == str(batch.uuid)
    assert (summary["selected"], summary["issued"], summary["archived"]) == (5, 5, 5)
    assert (summary["pages"], summary["multi_page"], summary["refused"]) == (5, 0, {})
    assert (summary["exceptions"], summary["finished"]) == ([], True)
    assert batch.finished_at is not None
    letters = list(Letter.objects.order_by("sequence"))
    assert [letter.sequence for letter in letters] == [1, 2, 3, 4, 5]
    assert sorted(letter.person_id for letter in letters) == sorted(
        person.pk for person in recipients
    )
    for letter in letters:
        assert letter.status == "issued"
        assert letter.language == letter.person.language
        assert pdfcheck.inspect(archive.read(letter.pdf_sha256, "pdf")).is_pdfa_3b


def test_shows_a_progress_bar_on_standard_error(
    clerk: Any, recipients: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    out = io.StringIO()
    call_command(
        "letters",
        "render",
        "--template",
        "acknowledgement",
        "--for",
        "postal_code=9000",
        "--agent",
        "support_agent-C",
        "--workers",
        "1",
        stdout=out,
    )
    bar = terminal.getvalue()
    assert "letters" in bar
    assert f"{COUNT}/{COUNT}" in bar
    assert "issued: 5" in out.getvalue()


def test_a_run_interrupted_by_a_crash_resumes_and_issues_each_letter_once(
    clerk: Any, recipients: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The crash strikes at the end of the second chunk, after its letters were
    # numbered and written: the chunk's transaction rolls back with its numbers.
    from guichet.correspondence.services import batches

    real_audit = batches.audit_record_many
    calls = {"count": 0}

    def audit_then_crash(**kwargs: Any) -> Any:
        calls["count"] += 1
        if calls["count"] == 2:
            assert Letter.objects.filter(number__isnull=False).count() == 4
            raise PowerCut
        return real_audit(**kwargs)

    monkeypatch.setattr(batches, "audit_record_many", audit_then_crash)
    batch = services.letter_batch_start(
        actor=clerk, letter_type="acknowledgement", query="municipality=Gent"
    )
    report = batchrun.Report(batch=str(batch.uuid))
    events: list[str] = []

    def run() -> None:
        events.extend(
            batchrun.run(actor=clerk, batch=batch, report=report, workers=1, chunk=2)
        )

    with pytest.raises(PowerCut):
        run()
    # The first chunk was committed; its PDFs were still being rendered.
    assert events == []
    assert _sequences() == [1, 2]
    assert Letter.objects.filter(pdf_sha256="").count() == 2
    assert Counter.objects.get().last == 2
    monkeypatch.setattr(batches, "audit_record_many", real_audit)

    summary = _render("--resume", str(batch.uuid))

    assert (summary["selected"], summary["issued"], summary["archived"]) == (5, 3, 5)
    assert _sequences() == [1, 2, 3, 4, 5]
    assert Letter.objects.filter(batch=batch).values("person").distinct().count() == 5
    assert not Letter.objects.filter(pdf_sha256="").exists()
    batch.refresh_from_db()
    assert batch.finished_at is not None
    # Resuming a finished batch does nothing more.
    again = _render("--resume", str(batch.uuid))
    assert (again["issued"], again["archived"]) == (0, 0)
    assert _sequences() == [1, 2, 3, 4, 5]


def test_letters_numbered_before_a_crash_are_archived_on_resume(
    clerk: Any, recipients: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = services.letter_batch_start(
        actor=clerk, letter_type="acknowledgement", query="all"
    )
    # The crash strikes after numbering, before any PDF was stored.
    monkeypatch.setattr(
        batchrun.pdf, "render_pdfa", lambda html: (_ for _ in ()).throw(PowerCut())
    )
    with pytest.raises(PowerCut):
        _run_in_process(clerk, batch, chunk=10)
    assert Letter.objects.filter(pdf_sha256="").count() == 5
    monkeypatch.undo()

    summary = _render("--resume", str(batch.uuid))

    assert (summary["issued"], summary["archived"]) == (0, 5)
    assert _sequences() == [1, 2, 3, 4, 5]
    assert not Letter.objects.filter(pdf_sha256="").exists()


def test_a_person_without_an_address_is_an_exception_and_the_batch_finishes(
    clerk: Any, recipients: list[Any]
) -> None:
    # given a selection where one person has no postal address
    recipients[0].addresses.all().delete()
    # when the batch runs
    summary = _render("--template", "acknowledgement", "--for", "all")
    # then the others get their letter, that person is an exception, and the
    # batch is finished (exit 0)
    expected = [{"person": str(recipients[0].uuid), "missing": ["person.address"]}]
    assert summary["refused"] == {str(recipients[0].uuid): ["person.address"]}
    assert (summary["issued"], summary["exceptions"]) == (4, expected)
    assert summary["finished"] is True
    assert _sequences() == [1, 2, 3, 4]
    batch = LetterBatch.objects.get()
    assert batch.finished_at is not None
    finish = AuditEvent.objects.get(action="letter_batch.finish")
    assert finish.summary["exceptions"] == [str(recipients[0].uuid)]
    # and resuming it does nothing more, still listing the exception
    again = _render("--resume", str(batch.uuid))
    assert (again["issued"], again["refused"], again["exceptions"]) == (0, {}, expected)
    assert _sequences() == [1, 2, 3, 4]


def test_a_batch_stopped_on_a_person_without_an_address_finishes_on_resume(
    clerk: Any, recipients: list[Any]
) -> None:
    # given a batch started before exceptions were kept: its run stopped early
    recipients[0].addresses.all().delete()
    batch = services.letter_batch_start(
        actor=clerk, letter_type="acknowledgement", query="all"
    )
    # when it is resumed, in the readable output
    out = io.StringIO()
    call_command(
        "letters",
        "render",
        "--resume",
        str(batch.uuid),
        "--agent",
        "support_agent-C",
        "--workers",
        "1",
        stdout=out,
    )
    # then it finishes and names the person who got no letter
    batch.refresh_from_db()
    assert batch.finished_at is not None
    text = out.getvalue()
    assert "exceptions: 1 person(s) got no letter" in text
    assert f"  {recipients[0].uuid}: no person.address" in text


@pytest.mark.parametrize(
    ("_case", "args", "message"),
    [
        ("no query", ["--template", "acknowledgement"], "--for QUERY"),
        (
            "bad query",
            ["--template", "acknowledgement", "--for", "colour=red"],
            "colour=red",
        ),
        ("unknown template", ["--template", "nope", "--for", "all"], "nope"),
        (
            "nobody matches",
            ["--template", "acknowledgement", "--for", "municipality=Arlon"],
            "No person",
        ),
    ],
)
def test_usage_errors_say_what_is_wrong_and_start_nothing(
    clerk: Any, recipients: list[Any], _case: str, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("letters", "render", "--agent", "support_agent-C", *args)
    assert LetterBatch.objects.count() == 0
    assert Letter.objects.count() == 0


def test_the_workers_keep_a_chunk_to_render_while_the_next_one_is_numbered(
    clerk: Any, recipients: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _five_more_in_gent()
    batch = services.letter_batch_start(
        actor=clerk, letter_type="acknowledgement", query="municipality=Gent"
    )
    unstored_when_numbering: list[int] = []
    real_issue = services.letter_batch_issue

    def issue(**kwargs: Any) -> Any:
        numbered = Letter.objects.filter(batch=batch)
        unstored_when_numbering.append(numbered.filter(pdf_sha256="").count())
        return real_issue(**kwargs)

    monkeypatch.setattr(batchrun.services, "letter_batch_issue", issue)
    monkeypatch.setattr(batchrun, "STORE_GROUP", 1)
    events = _run_in_process(clerk, batch, chunk=2)
    # Up to a chunk (2) more than the workers' own few (4) wait to be stored; past
    # that, every rendered letter is stored (here, in one process, all of them).
    assert unstored_when_numbering == [0, 2, 4, 6, 1]
    assert events == ["archived"] * 2 * COUNT
    assert not Letter.objects.filter(pdf_sha256="").exists()


def test_rendered_letters_are_stored_in_groups_and_the_rest_at_the_end(
    clerk: Any, recipients: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _five_more_in_gent()
    batch = services.letter_batch_start(
        actor=clerk, letter_type="acknowledgement", query="municipality=Gent"
    )
    groups: list[int] = []
    real_store = services.letter_archive_store_many

    def store(rendered: Any) -> Any:
        groups.append(len(rendered))
        return real_store(rendered)

    monkeypatch.setattr(batchrun.services, "letter_archive_store_many", store)
    monkeypatch.setattr(batchrun, "STORE_GROUP", 5)
    events = _run_in_process(clerk, batch, chunk=1)
    # Up to 1 + 4 letters are out. The sixth makes the six rendered ones a group
    # (at least 5); the last four are stored when the run ends.
    assert groups == [6, 4]
    assert events == ["archived"] * 2 * COUNT
    changes = AuditEvent.objects.filter(action="letter.archive")
    assert changes.count() == 2 * COUNT
    assert chain_verify(chain="changes").is_intact


def test_the_pool_prepares_its_workers_for_rendering() -> None:
    import gc

    with batchrun._pool(2) as pool:
        thresholds = pool.submit(gc.get_threshold).result(timeout=60)
    assert thresholds[0] == pdf.YOUNG_OBJECTS_BEFORE_COLLECTION
