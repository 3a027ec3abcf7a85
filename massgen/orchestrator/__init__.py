"""massgen.orchestrator: a team of agents on one task: answers, votes, the winner's final answer."""

from .coordinator import Orchestrator
from .defaults import default_team
from .result import OrchestratorResult, RunOutcome
from .state import RunLimits

__all__ = ["Orchestrator", "OrchestratorResult", "RunLimits", "RunOutcome", "default_team"]
