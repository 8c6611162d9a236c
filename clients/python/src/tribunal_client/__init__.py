"""A Python client of Tribunal for pipelines: labels pulled with a resumable cursor, webhook signatures verified.

Standard library only::

    from tribunal_client import Tribunal

    tribunal = Tribunal.from_env()  # TRIBUNAL_URL, TRIBUNAL_KEY (a pipeline's key)
    for batch in tribunal.label_batches("labels.cursor", set="small"):
        store(batch)  # the cursor is saved once the loop comes back for the next batch
"""

from ._version import __version__
from .client import Tribunal, retry_after_seconds
from .cursor import Cursor, FileCursor, MemoryCursor
from .errors import (
    ERRORS_BY_STATUS,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    TooMany,
    TribunalError,
    Unavailable,
    Unreachable,
    error_of_status,
)
from .schema import (
    LABEL_SCHEMA_VERSION,
    CreatedWebhook,
    Label,
    LabelProvenance,
    LabelSet,
    ProvenanceDebate,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
    WebhookPayload,
)
from .webhooks import (
    DEFAULT_TOLERANCE_SECONDS,
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    sign_webhook,
    verify_webhook,
    verify_webhook_request,
)

__all__ = [
    "__version__",
    "Tribunal",
    "retry_after_seconds",
    "Cursor",
    "FileCursor",
    "MemoryCursor",
    "ERRORS_BY_STATUS",
    "TribunalError",
    "Invalid",
    "Forbidden",
    "NotFound",
    "Conflict",
    "TooMany",
    "Unavailable",
    "Unreachable",
    "error_of_status",
    "LABEL_SCHEMA_VERSION",
    "Label",
    "LabelProvenance",
    "LabelSet",
    "ProvenanceDebate",
    "Webhook",
    "CreatedWebhook",
    "WebhookDelivery",
    "WebhookEvent",
    "WebhookPayload",
    "SIGNATURE_HEADER",
    "DELIVERY_HEADER",
    "EVENT_HEADER",
    "DEFAULT_TOLERANCE_SECONDS",
    "sign_webhook",
    "verify_webhook",
    "verify_webhook_request",
]
