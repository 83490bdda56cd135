"""Stage 2: turn upstream documents into one canonical, facts-only OpenAPI 3.1 snapshot per version.

    schemas.py     schema objects: keep facts, drop prose, Swagger 2.0 / OpenAPI 3.0 -> 3.1 spelling
    operations.py  paths, parameters, request bodies, responses (Swagger 2.0 body/formData -> requestBody)
    merge.py       inference + authoring documents -> one snapshot, colliding component names kept apart
"""

from .document import convert_document
from .merge import merge_documents

__all__ = ["convert_document", "merge_documents"]
