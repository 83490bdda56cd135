"""API areas, from the first path segment of an operation."""

from __future__ import annotations

AREAS = {
    "chat": "chat", "completions": "completions", "embeddings": "embeddings", "audio": "audio",
    "images": "images", "assistants": "assistants", "threads": "threads", "vector_stores": "vector stores",
    "batches": "batches", "files": "files", "fine_tuning": "fine-tuning", "uploads": "uploads",
    "responses": "responses", "evals": "evals", "realtime": "realtime", "realtimeapi": "realtime",
    "containers": "containers", "conversations": "conversations", "videos": "videos", "models": "models",
    "ingestion": "ingestion", "deployments": "deployments", "extensions": "chat",
}
ORDER = ["chat", "completions", "embeddings", "audio", "images", "assistants", "threads", "vector stores",
         "batches", "files", "fine-tuning", "uploads", "responses", "evals", "realtime", "containers",
         "conversations", "videos", "models", "ingestion", "deployments", "other"]


def area_of(operation: str) -> str:
    """`POST /chat/completions` -> 'chat'; unknown first segments are 'other'."""
    path = operation.split(" ", 1)[-1]
    segment = path.strip("/").split("/", 1)[0]
    return AREAS.get(segment, "other")
