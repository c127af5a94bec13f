"""The errors of ``generation/``: every one a :class:`data.errors.EndrollError`, worded for the place it is read.

``what`` says what happened (true wherever it is read); ``fix`` says what to do there: a command line talks about
its flags, a page about its buttons and pages. A page catches :class:`~data.errors.EndrollError` and nothing
broader.
"""

from __future__ import annotations

from data.errors import EndrollError


class GenerationError(EndrollError):
    """Generation was refused or failed; the message says what to change."""


class OperatorError(GenerationError):
    """The operator is not a named person in the database (anonymous, a placeholder, an AI tool, or unknown)."""


class ModelPathError(GenerationError):
    """The model is neither the bundled model nor a local diffusers text-to-image folder."""


class UnknownSceneError(GenerationError, ValueError):
    """The bundled model was asked for a scene it does not draw (also a ``ValueError``, as it always was)."""


class ProvenanceError(GenerationError):
    """Signing or reading provenance failed, or the keys it needs are missing."""


class CredentialError(ProvenanceError):
    """A signing credential (the studio's, an operator's, or the CA that issues them) is missing or unusable."""


class WatermarkError(ProvenanceError):
    """An image cannot carry the invisible watermark (too small), so it is not generated or recorded."""


class VerificationError(ProvenanceError):
    """A file cannot be verified at all (unreadable, or not a PNG); a file that fails verification is a result,
    :class:`generation.verification.Verification`, not this error."""
