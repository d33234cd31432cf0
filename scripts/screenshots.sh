#!/usr/bin/env bash
# Screenshots of the portal's main pages at 390, 1366 and 1920 px wide, for a reviewer to look at:
# runs tests/accessibility/test_screenshots.py (real Chromium, a throwaway test database with the seed
# data and the demo roles) and says where the PNGs are. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${VENV:-.venv}/bin"
status=0
"$BIN/python" -m pytest -q -p no:randomly -m browser tests/accessibility/test_screenshots.py "$@" || status=$?
for width in 390 1366 1920; do
  folder="test-artifacts/screens/$width"
  count=$(find "$folder" -name '*.png' 2>/dev/null | wc -l)
  echo "スクリーンショット ${width}px: $(pwd)/$folder/ (${count}枚)"
done
exit $status
