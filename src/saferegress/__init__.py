"""saferegress: a multilingual safety regression gate for LLMs, as a pytest plugin."""

__version__ = "0.1.0"
