"""Write the corpus of tricky e-mails under tests/inbox/corpus/ (run it again after a
change: `python tests/inbox/make_corpus.py`). The files are committed; the 20 MB
attachment is made by `big_message()` at test time, never committed.

Each file is written as raw bytes, some deliberately broken, so that what the
import meets is what a mail server would hand over, not what a library would
produce when asked nicely.
"""

from __future__ import annotations

import base64
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"
DATE = "Date: Tue, 01 Dec 2026 09:15:00 +0100"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe"
    b"\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def _b64(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii")


def _lines(*lines: str) -> bytes:
    return "\r\n".join(lines).encode("utf-8") + b"\r\n"


FILES: dict[str, bytes] = {
    "no_subject.eml": _lines(
        "From: Marie Dubois <marie.dubois@example.be>",
        "To: population@guichet.example",
        DATE,
        "Message-ID: <no-subject-1@example.be>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Bonjour, je voudrais savoir comment renouveler ma carte d'identité.",
    ),
    "html_only.eml": _lines(
        "From: Jan Peeters <jan.peeters@example.be>",
        "To: population@guichet.example",
        "Subject: Vraag over mijn adres",
        DATE,
        "Message-ID: <html-only-1@example.be>",
        "MIME-Version: 1.0",
        "Content-Type: text/html; charset=utf-8",
        "",
        "<html><head><style>p{color:red}</style></head><body>",
        "<p>Goedendag,</p><p>Ik ben verhuisd en wil mijn <b>adres</b> wijzigen.</p>",
        "</body></html>",
    ),
    "encoded_fr.eml": _lines(
        "From: =?utf-8?q?H=C3=A9l=C3=A8ne_Lef=C3=A8vre?= <helene@example.be>",
        "To: population@guichet.example",
        "Subject: =?utf-8?q?Demande_d=27extrait_d=27acte_de_naissance_=E2=80=93_r?=",
        " =?utf-8?q?=C3=A9f=C3=A9rence_=C3=A0_suivre?=",
        DATE,
        "Message-ID: <encoded-fr-1@example.be>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=iso-8859-1",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "Bonjour, je souhaite recevoir un extrait d'acte de naissance pour mon fr=E8re.",
        "Merci d'avance, H=E9l=E8ne",
    ),
    "encoded_nl.eml": _lines(
        "From: =?iso-8859-1?b?"
        + base64.b64encode("Céline Van Damme".encode("latin-1")).decode()
        + "?= <celine@example.be>",
        "To: population@guichet.example",
        "Subject: =?utf-8?b?"
        + base64.b64encode("Verhuizing naar Gent – wat moet ik doen?".encode()).decode()  # noqa: RUF001
        + "?=",
        DATE,
        "Message-ID: <encoded-nl-1@example.be>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: base64",
        "",
        _b64(
            "Goedendag, ik ben verhuisd naar Gent. Wat moet ik doen voor mijn "
            "identiteitskaart? Met vriendelijke groeten, Céline".encode()
        ),
    ),
    "misleading_extensions.eml": _lines(
        "From: Marie Dubois <marie.dubois@example.be>",
        "To: population@guichet.example",
        "Subject: Mes documents",
        DATE,
        "Message-ID: <misleading-1@example.be>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="XX"',
        "",
        "--XX",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Voici ma facture et ma photo.",
        "--XX",
        'Content-Type: application/pdf; name="facture.pdf"',
        'Content-Disposition: attachment; filename="facture.pdf"',
        "Content-Transfer-Encoding: base64",
        "",
        _b64(EXE),
        "--XX",
        'Content-Type: text/plain; name="photo.txt"',
        'Content-Disposition: attachment; filename="photo.txt"',
        "Content-Transfer-Encoding: base64",
        "",
        _b64(PNG),
        "--XX",
        'Content-Type: image/png; name="copie.png"',
        'Content-Disposition: attachment; filename="copie.png"',
        "Content-Transfer-Encoding: base64",
        "",
        _b64(PNG),
        "--XX--",
    ),
    "many_recipients.eml": _lines(
        "From: Newsletter Citoyenne <marie.dubois@example.be>",
        "To: " + ",\r\n ".join(f"person{n:03d}@example.be" for n in range(200)),
        "Subject: Pétition pour un parc",
        DATE,
        "Message-ID: <many-recipients-1@example.be>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Nous demandons un parc dans notre quartier.",
    ),
    "malformed_mime.eml": (
        b"From: broken <broken@example.be>\r\n"
        b"To: population@guichet.example\r\n"
        b"Subject: =?utf-8?q?unterminated_=C3\r\n"
        b"Message-ID: <malformed-1@example.be>\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="never-closed"\r\n'
        b"Content-Type: text/plain\r\n"
        b"\r\n"
        b"--never-closed\r\n"
        b"Content-Type: text/plain; charset=x-unknown-charset\r\n"
        b"Content-Transfer-Encoding: base64\r\n"
        b"\r\n"
        b"Ceci n'est pas du base64 !!! \xff\xfe\r\n"
        b"--never-closed\r\n"
        b"Content-Type: application/octet-stream\r\n"
        b"Content-Disposition: attachment; filename*=utf-8''%ZZbad\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n"
        b"\r\n"
        b"=ZZ=\r\n"
    ),
    "script_and_remote_images.eml": _lines(
        "From: Attacker <jan.peeters@example.be>",
        "To: population@guichet.example",
        "Subject: Click here",
        DATE,
        "Message-ID: <script-1@example.be>",
        "MIME-Version: 1.0",
        "Content-Type: text/html; charset=utf-8",
        "",
        "<p>Hallo</p><script>window.pwned = 1; document.title = 'pwned';</script>",
        '<img src="https://tracker.example.net/pixel.gif?who=agent">',
        '<img src="x" onerror="window.pwned = 2">',
        '<a href="javascript:window.pwned=3">link</a>',
        '<a href="https://example.be/info">info</a>',
        '<iframe src="https://evil.example.net/"></iframe>',
        '<p style="background:url(https://tracker.example.net/bg)">Styled</p>',
    ),
    "auto_reply.eml": _lines(
        "From: Marie Dubois <marie.dubois@example.be>",
        "To: noreply@guichet.example",
        "Subject: Absence du bureau",
        DATE,
        "Message-ID: <auto-1@example.be>",
        "Auto-Submitted: auto-replied",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Je suis absente jusqu'au 15 décembre.",
    ),
    "precedence_bulk.eml": _lines(
        "From: Vacation <jan.peeters@example.be>",
        "To: noreply@guichet.example",
        "Subject: Out of office",
        DATE,
        "Message-ID: <auto-2@example.be>",
        "Precedence: auto_reply",
        "X-Autoreply: yes",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "I am away.",
    ),
    "bounce.eml": _lines(
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.be>",
        "To: noreply@guichet.example",
        "Subject: Undelivered Mail Returned to Sender",
        DATE,
        "Message-ID: <bounce-1@mx.example.be>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
        "",
        "--B",
        "Content-Type: text/plain",
        "",
        "Your message could not be delivered.",
        "--B",
        "Content-Type: message/delivery-status",
        "",
        "Reporting-MTA: dns; mx.example.be",
        "",
        "Final-Recipient: rfc822; nobody@example.be",
        "Action: failed",
        "Status: 5.1.1",
        "--B--",
    ),
    "loop.eml": _lines(
        "From: Guichet <noreply@guichet.example>",
        "To: population@guichet.example",
        "Subject: Our letter",
        DATE,
        "Message-ID: <loop-1@guichet.example>",
        "X-Guichet-Dispatch: 00000000-0000-4000-8000-000000000000",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Please find attached our letter.",
    ),
    "no_message_id.eml": _lines(
        "From: Marie Dubois <marie.dubois@example.be>",
        "To: population@guichet.example",
        "Subject: Sans identifiant",
        DATE,
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Ce message n'a pas de Message-ID.",
    ),
}


def big_message(size: int = 20 * 1024 * 1024) -> bytes:
    """A message with a `size`-byte PDF attachment (over the inbox's limit)."""
    pdf = b"%PDF-1.4\n" + b"0" * (size - 9)
    return _lines(
        "From: Marie Dubois <marie.dubois@example.be>",
        "To: population@guichet.example",
        "Subject: Mon dossier complet",
        DATE,
        "Message-ID: <big-1@example.be>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="XX"',
        "",
        "--XX",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Voici mon dossier complet.",
        "--XX",
        'Content-Type: application/pdf; name="dossier.pdf"',
        'Content-Disposition: attachment; filename="dossier.pdf"',
        "Content-Transfer-Encoding: base64",
        "",
        _b64(pdf),
        "--XX--",
    )


def main() -> None:
    CORPUS.mkdir(exist_ok=True)
    for name, data in FILES.items():
        (CORPUS / name).write_bytes(data)


if __name__ == "__main__":
    main()
