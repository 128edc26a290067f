"""crepitus — why does my back pop when I walk, and should I worry?

The public Python API is small and every CLI command maps onto it:

>>> import crepitus
>>> result = crepitus.assess({"sound.pop": True, "pain.with_sound": False})
>>> result.disposition.code
'self_care'

Heavy modules (numpy, scipy, PyAV, SQLAlchemy) are imported lazily, on first use.
Not a diagnosis: see ``crepitus.INTENDED_USE``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "INTENDED_USE",
    "Assessment",
    "Disposition",
    "Evidence",
    "Findings",
    "__version__",
    "assess",
]

if TYPE_CHECKING:  # pragma: no cover
    from crepitus.domain import INTENDED_USE, Assessment, Disposition, Evidence
    from crepitus.findings import Findings
    from crepitus.workflows import assess

_LAZY = {
    "INTENDED_USE": "crepitus.domain",
    "Assessment": "crepitus.domain",
    "Disposition": "crepitus.domain",
    "Evidence": "crepitus.domain",
    "Findings": "crepitus.findings",
    "assess": "crepitus.workflows",
}


def __getattr__(name: str) -> Any:
    """Import public names on first use (keeps ``import crepitus`` and ``--help`` fast)."""
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'crepitus' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value
