#!/usr/bin/env bash
# The README's main job: install cityindex into a project-local virtual environment and
# serve the website on the bundled editions (published Bitkom 2019–2025 and the open pilot
# open-2026, which is imported and scored into the default store on first start).
# Extra arguments go to `cityindex serve` (e.g. --port 8080). Nothing is reinstalled when
# pyproject.toml is unchanged; the address is printed once the website answers.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
ensure_venv ""
exec .venv/bin/cityindex serve "$@"
