"""Attachments: files the user drops, pastes, picks or types, checked against every agent's backend
and prepared per agent (as is, fitted, replaced by their text, or noted as left out)."""

from .model import Attachment, add_unique, load_attachment, load_attachments
from .paste import Dropped, parse_paste, scan_paste
from .plan import AgentSpec, Decision, decide, plan_attachments
from .cache import DEFAULT_CACHE, PrepareCache
from .prepare import prefit, prepare_for_agent, prepare_for_team
from .typed import extract_at_paths, find_typed_paths

__all__ = [
    "AgentSpec",
    "Attachment",
    "DEFAULT_CACHE",
    "Decision",
    "Dropped",
    "PrepareCache",
    "add_unique",
    "decide",
    "extract_at_paths",
    "find_typed_paths",
    "load_attachment",
    "load_attachments",
    "parse_paste",
    "plan_attachments",
    "prefit",
    "prepare_for_agent",
    "prepare_for_team",
    "scan_paste",
]
