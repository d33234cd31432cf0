#!/usr/bin/env bash
# Refresh the Digital Agency's design tokens (デジタル庁デザインシステム, npm @digital-go-jp/design-tokens)
# vendored under static/vendor/design-tokens/: the CSS custom properties, the licence and the package's
# own package.json (its version). Nothing is built at run time and no CDN is used: the portal serves
# the file itself. Usage: scripts/vendor_design_tokens.sh [version]   (default: the version recorded)
set -euo pipefail
cd "$(dirname "$0")/.."
target=static/vendor/design-tokens
version="${1:-$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$target/package.json")}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@digital-go-jp/design-tokens@$version" >/dev/null && tar xzf ./*.tgz)
cp "$work/package/dist/tokens.css" "$work/package/LICENSE" "$work/package/package.json" "$target/"
echo "design tokens $version → $target (check static/vendor/README.md and the pages' contrast: make test)"
