"""nianbao（年报）：从各部门报送的结构化数据生成符合 GB/T 9704-2012 版式的年度报告。"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing typing costs `nianbao --help` a third
__version__ = "0.1.0"
__all__ = ["validate_workspace", "build_report", "init_workspace", "workspace_status", "Report",
           "Issue", "Location", "__version__"]

if TYPE_CHECKING:
    from typing import Any

    from .api import build_report, init_workspace, validate_workspace, workspace_status
    from .issues import Issue, Location, Report


def __getattr__(name: str) -> Any:
    """Import the public API lazily so that ``nianbao --help`` starts fast."""
    if name in ("validate_workspace", "build_report", "init_workspace", "workspace_status"):
        from . import api
        return getattr(api, name)
    if name in ("Report", "Issue", "Location"):
        from . import issues
        return getattr(issues, name)
    raise AttributeError(name)
