"""A light guess of a message's language among the service's four: fr, nl, de, en.

Counts the message's words found among the most frequent function words of each
language (articles, pronouns, prepositions, auxiliaries: lists written here, no
download), plus a little weight for letters one language uses and the others
rarely (é è ç à for French, ä ö ü ß for German, "ij" for Dutch). The best
language wins; its confidence is its share of the evidence. A message with no
evidence (a reference number, one unknown word) gets no language: ("", 0.0).
Good enough to route a message or pick the reply's language on a sentence; not a
general language identifier.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

LANGUAGES = ("fr", "nl", "de", "en")

_WORDS = {
    "fr": """le la les un une des du de et est sont je j tu il elle nous vous ils
        elles mon ma mes ton votre vos notre nos ce cette ces qui que quoi pour
        pas ne dans sur avec au aux ai avez avons été suis mais ou où comment
        quand bonjour merci madame monsieur svp s'il plait veuillez""",
    "nl": """de het een en is zijn ik jij je u hij zij wij we jullie mijn mij uw
        ons onze dit dat deze die wat wie waar hoe wanneer voor niet geen in op
        met aan van bij naar heb hebt heeft hebben ben was werd worden wordt
        maar of ook nog al goedendag dag dank bedankt graag alstublieft mevrouw
        meneer kan kunt kunnen moet""",
    "de": """der die das den dem des ein eine einen einem und ist sind ich du er
        sie wir ihr mein meine mich mir ihre ihren unser dies diese dieser was
        wer wo wie wann für nicht kein keine im in auf mit zu von bei nach habe
        hat haben bin war wurde werden aber oder auch noch schon guten tag
        danke bitte frau herr kann können muss""",
    "en": """the a an and is are am i you he she we they my me your our this that
        these those what who where how when why for not no in on with at to of
        from have has had was were been be do does did but or also still
        hello hi thanks thank please mrs mr can could would should will""",
}
_LEXICON: dict[str, frozenset[str]] = {
    lang: frozenset(words.split()) for lang, words in _WORDS.items()
}
_LETTERS = {
    "fr": re.compile("[éèêàçùœ]"),
    "de": re.compile("[äöüß]"),
    "nl": re.compile("ij"),
}
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@dataclass(frozen=True)
class LanguageGuess:
    language: str
    confidence: float


def language_guess(text: str) -> LanguageGuess:
    """The most likely of fr, nl, de, en, with its share of the evidence."""
    lowered = unicodedata.normalize("NFC", text).casefold().replace("\u2019", "'")
    words = []
    for word in _WORD.findall(lowered):
        words.append(word)
        if "'" in word:  # l'adresse, j'ai: the article and the word
            words.extend(word.split("'"))
    evidence = dict.fromkeys(LANGUAGES, 0.0)
    for word in words:
        for lang in LANGUAGES:
            if word in _LEXICON[lang]:
                evidence[lang] += 1.0
    for lang, pattern in _LETTERS.items():
        evidence[lang] += 0.5 * len(pattern.findall(lowered))
    total = sum(evidence.values())
    if not total:
        return LanguageGuess("", 0.0)
    best = max(LANGUAGES, key=lambda lang: evidence[lang])
    return LanguageGuess(best, evidence[best] / total)
