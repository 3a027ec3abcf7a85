"""massgen.orchestrator: a team of agents on one task: answers, votes, the winner's final answer."""

from .coordinator import ORCHESTRATOR, Orchestrator
from .defaults import default_team
from .result import OrchestratorResult
from .state import Limits

__all__ = ["ORCHESTRATOR", "Limits", "Orchestrator", "OrchestratorResult", "default_team"]
