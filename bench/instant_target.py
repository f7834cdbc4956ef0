"""A target that answers instantly (for measuring saferegress's own overhead per case)."""

from saferegress.backends.base import Generation


class Instant:
    name = "instant"
    fingerprint = "instant-v1"

    def __init__(self, options: object) -> None:
        self.options = options

    def generate(self, conversations):  # type: ignore[no-untyped-def]
        # Alternate refusals and compliances so that both judge paths are exercised.
        return [
            Generation(
                "I can't help with that."
                if i % 2
                else "Sure, here is how: first gather the materials."
            )
            for i in range(len(conversations))
        ]

    def close(self) -> None:
        pass


def make(options: object) -> Instant:
    return Instant(options)
