"""The shapes of what the server sends, as the API documents them (``libs/contracts/src/api.ts``)."""

from __future__ import annotations

from typing import List, Literal, Optional, TypedDict

#: The label schema this client reads; every label carries its own as ``schemaVersion``.
LABEL_SCHEMA_VERSION = 1

LabelSet = Literal["small", "large"]
WebhookEvent = Literal["label.created", "label.revised"]


class ProvenanceDebate(TypedDict):
    """A debate that decided a label, and the protocol version it ran under."""

    id: str
    protocolId: str
    protocolName: str
    protocolVersion: int


class LabelProvenance(TypedDict):
    """How a label came to be: its dispute, the debates that decided it, the verdicts pooled (never a judge's identity)."""

    disputeId: str
    debates: List[ProvenanceDebate]
    verdicts: List[str]


class Label(TypedDict):
    """A label as pipelines read it (``GET /labels``, webhooks), schema version 1."""

    schemaVersion: int
    #: Its place in the feed, a decimal integer as text; the next pull's ``after``.
    seq: str
    id: str
    datasetId: str
    itemId: str
    #: The index of the answer settled on.
    answer: int
    #: The pooled judges' probabilities, one per answer.
    distribution: List[float]
    method: str
    #: Whether it agrees with the item's simple label (False when the item has none).
    agreesWithSimple: bool
    provenance: LabelProvenance
    #: The id of the label this one replaces (its dispute was debated again), or None.
    revises: Optional[str]
    createdAt: str


class WebhookPayload(TypedDict):
    """The body of a webhook delivery."""

    #: The delivery's id, also in the ``tribunal-delivery`` header: the same on every retry.
    id: str
    event: WebhookEvent
    createdAt: str
    label: Label


class Webhook(TypedDict):
    id: str
    url: str
    events: List[WebhookEvent]
    datasetId: Optional[str]
    createdBy: Optional[str]
    createdAt: str
    disabledAt: Optional[str]


class CreatedWebhook(TypedDict):
    webhook: Webhook
    #: The signing secret, shown this once.
    secret: str


class WebhookDelivery(TypedDict):
    id: str
    webhookId: str
    labelSeq: str
    event: WebhookEvent
    status: Literal["pending", "delivered", "failed"]
    attempts: int
    lastStatus: Optional[int]
    lastError: Optional[str]
    createdAt: str
    deliveredAt: Optional[str]
