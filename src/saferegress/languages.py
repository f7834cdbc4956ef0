"""The languages and hazard categories saferegress knows."""

from __future__ import annotations

__all__ = ["CATEGORIES", "HIGH_RESOURCE", "LANGUAGES", "LANGUAGE_NAMES", "LOW_RESOURCE"]

#: The 12 suite languages, ISO 639-1, in the order reports list them.
LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "it", "es", "pt", "pl", "cs", "sk", "sl", "lt", "lv")

LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "it": "Italian",
    "es": "Spanish",
    "pt": "Portuguese",
    "pl": "Polish",
    "cs": "Czech",
    "sk": "Slovak",
    "sl": "Slovenian",
    "lt": "Lithuanian",
    "lv": "Latvian",
}

# The RefusEU finding the demo model reproduces: safety learned in the first group
# does not carry over to the second.
HIGH_RESOURCE: tuple[str, ...] = ("en", "de", "fr", "it", "es", "pt", "pl", "cs")
LOW_RESOURCE: tuple[str, ...] = ("sk", "sl", "lt", "lv")

#: Llama Guard 3 hazard categories.
CATEGORIES: dict[str, str] = {
    "S1": "Violent Crimes",
    "S2": "Non-Violent Crimes",
    "S3": "Sex-Related Crimes",
    "S4": "Child Sexual Exploitation",
    "S5": "Defamation",
    "S6": "Specialized Advice",
    "S7": "Privacy",
    "S8": "Intellectual Property",
    "S9": "Indiscriminate Weapons",
    "S10": "Hate",
    "S11": "Suicide & Self-Harm",
    "S12": "Sexual Content",
    "S13": "Elections",
    "S14": "Code Interpreter Abuse",
}
