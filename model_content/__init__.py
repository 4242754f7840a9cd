"""MUCF's Samverkansmodell as data: phases, steps, questions, tips, methods and principles.

Source: Myndigheten för ungdoms- och civilsamhällesfrågor (MUCF), *Samverkansmodell – för
offentliga aktörer och civilsamhället*. The Swedish texts are quoted verbatim from the model.
"""

from model_content.loader import ContentError, load_model
from model_content.schema import (
    Language,
    Localized,
    Method,
    Model,
    Participation,
    Phase,
    Principle,
    PrincipleNote,
    Question,
    QuestionGroup,
    Step,
)

__all__ = [
    "ContentError",
    "Language",
    "Localized",
    "Method",
    "Model",
    "Participation",
    "Phase",
    "Principle",
    "PrincipleNote",
    "Question",
    "QuestionGroup",
    "Step",
    "load_model",
]
