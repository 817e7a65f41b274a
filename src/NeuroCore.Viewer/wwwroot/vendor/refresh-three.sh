#!/bin/sh
# Refreshes the vendored three.js ES-module build from npm (the viewer never loads a CDN).
# Usage: src/NeuroCore.Viewer/wwwroot/vendor/refresh-three.sh [VERSION]   (default 0.187.0)
set -eu
version="${1:-0.187.0}"
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "three@$version" >/dev/null && tar -xzf "three-$version.tgz")
dest="$here/three"
mkdir -p "$dest"
cp "$tmp/package/build/three.module.js" "$tmp/package/build/three.core.js" "$dest/"
cp "$tmp/package/examples/jsm/controls/OrbitControls.js" "$dest/"
for f in LineSegments2.js LineSegmentsGeometry.js LineMaterial.js; do cp "$tmp/package/examples/jsm/lines/$f" "$dest/"; done
cp "$tmp/package/LICENSE" "$dest/LICENSE"
echo "$version" > "$dest/VERSION"
echo "three $version vendored into $dest"
