"""aoai-changelog: the knowledge base and diff service for the Azure OpenAI REST API versions.

The pipeline, one sub-package per stage:

    load/       read JSON/YAML files, resolve $refs           (upstream file -> dict)
    normalize/  keep facts only, convert Swagger 2.0, merge  (dicts -> one OpenAPI 3.1 snapshot)
    surface/    every element a user can ask about            (snapshot -> {key: Element})
    diff/       compare two surfaces                          (surfaces -> changes)
    checker/    classify changes with stable rule ids         (changes -> breaking/level)
    formatters/ render text, JSON, Markdown                   (changes -> bytes)
"""

__version__ = "0.1.0"
