"""Export quantulum3's English unit tables to ``reportedly/data/units_quantulum.json``.

    python -m reportedly.extract.quant_units_export

reportedly reads the exported file at import instead of quantulum3's loader,
which pluralises every surface with ``inflect`` and takes seconds per process.
Run this after upgrading quantulum3 and review the diff.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

__all__ = ["TABLES", "export_quantulum_tables"]

#: Where reportedly.extract.units reads the tables from.
TABLES = Path(__file__).resolve().parent.parent / "data" / "units_quantulum.json"


def export_quantulum_tables(path: Path = TABLES) -> int:
    """Write surface -> unit names and symbol -> unit names; returns the entry count."""
    from quantulum3 import load as qload

    units = qload.units("en")
    data = {
        "_source": f"quantulum3 {version('quantulum3')} English unit tables; "
        "regenerate with python -m reportedly.extract.quant_units_export",
        "surfaces": {k: sorted({u.name for u in v}) for k, v in sorted(units.surfaces.items())},
        "symbols": {k: sorted({u.name for u in v}) for k, v in sorted(units.symbols.items())},
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    return len(data["surfaces"]) + len(data["symbols"])


if __name__ == "__main__":
    print(f"wrote {export_quantulum_tables()} entries to {TABLES}")
