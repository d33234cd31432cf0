#!/usr/bin/env bash
# Vendor the partial Plotly bundle the portal draws its charts with (bar, heatmap, scatter: the
# "cartesian" bundle) under static/vendor/plotly/, from the npm registry, with its licence and version.
#
#   scripts/vendor_plotly.sh            # the version of plotly.js the installed plotly package ships
#   scripts/vendor_plotly.sh 4.1.1      # a given version
#
# The figures are built in Python by the plotly package, so the bundle should be the plotly.js version
# that package was made for (its package_data/plotly.min.js names it in its first lines).
set -euo pipefail
cd "$(dirname "$0")/.."
PACKAGE=plotly.js-cartesian-dist-min
VERSION="${1:-$(.venv/bin/python -c 'import pathlib, plotly, re; print(re.search(r"plotly\.js v([\d.]+)", (pathlib.Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()[:300]).group(1))')}"
DEST=static/vendor/plotly
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null && tar -xzf ./*.tgz)
mkdir -p "$DEST"
cp "$WORK/package/plotly-cartesian.min.js" "$DEST/plotly-cartesian.min.js"
cp "$WORK/package/LICENSE" "$DEST/LICENSE"
INTEGRITY="$(cd "$WORK" && npm view "$PACKAGE@$VERSION" dist.integrity)"
cat > "$DEST/VERSION" <<INFO
package: $PACKAGE
version: $VERSION
licence: MIT (LICENSE beside this file)
integrity: $INTEGRITY
trace types the portal uses: bar, heatmap, scatter (all in this bundle; tests/framework/test_plotly_bundle.py checks)
refresh: scripts/vendor_plotly.sh [version]
INFO
echo "vendored $PACKAGE $VERSION into $DEST ($(wc -c < "$DEST/plotly-cartesian.min.js") bytes)"
