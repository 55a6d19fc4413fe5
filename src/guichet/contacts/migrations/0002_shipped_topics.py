"""The topics of the seeds, shared by every service (an administrator adds a
service's own topics, or renames these, in the admin).

Two groups and three topics of their own, from the seeds' work: consular matters
(legalisation, travel documents, visa extension: seed 000), unemployment benefits
(application, payment, garnishment and debts, attestations: seed 004), and
complaints, appointments and general information (seeds 001 and 002).
"""

from django.db import migrations
from django.utils import timezone

# code, parent code, fr, nl, de, en
TOPICS = [
    ("consular", None, "Affaires consulaires", "Consulaire zaken", "Konsularische Angelegenheiten", "Consular matters"),
    ("legalisation", "consular", "Légalisation", "Legalisatie", "Legalisation", "Legalisation"),
    ("travel-documents", "consular", "Documents de voyage", "Reisdocumenten", "Reisedokumente", "Travel documents"),
    ("visa-extension", "consular", "Prolongation de visa", "Verlenging van een visum", "Visumverlängerung", "Visa extension"),
    ("benefits", None, "Allocations de chômage", "Werkloosheidsuitkeringen", "Arbeitslosengeld", "Unemployment benefits"),
    ("benefit-application", "benefits", "Demande d'allocations", "Aanvraag van een uitkering", "Antrag auf Arbeitslosengeld", "Unemployment benefit application"),
    ("benefit-payment", "benefits", "Paiement des allocations", "Betaling van de uitkering", "Zahlung des Arbeitslosengeldes", "Benefit payment"),
    ("garnishment-debts", "benefits", "Saisies et dettes", "Beslag en schulden", "Pfändungen und Schulden", "Garnishment and debts"),
    ("attestations", "benefits", "Attestations", "Attesten", "Bescheinigungen", "Attestations"),
    ("complaints", None, "Plaintes", "Klachten", "Beschwerden", "Complaints"),
    ("appointments", None, "Rendez-vous", "Afspraken", "Termine", "Appointments"),
    ("general-information", None, "Information générale", "Algemene informatie", "Allgemeine Auskünfte", "General information"),
]


def forwards(apps, schema_editor):
    Topic = apps.get_model("contacts", "Topic")
    now = timezone.now()
    by_code = {}
    for order, (code, parent, fr, nl, de, en) in enumerate(TOPICS, start=1):
        if Topic.objects.filter(team__isnull=True, code=code).exists():
            by_code[code] = Topic.objects.get(team__isnull=True, code=code)
            continue
        by_code[code] = Topic.objects.create(
            code=code,
            parent=by_code.get(parent),
            name_fr=fr,
            name_nl=nl,
            name_de=de,
            name_en=en,
            order=order,
            created_at=now,
            updated_at=now,
        )


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_contacts_and_topics")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
