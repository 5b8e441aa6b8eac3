#!/usr/bin/env bash
# Refresh the Swagger UI every service's /docs page loads, from the swagger-ui-dist npm package at a
# pinned version, into the kernel (shared/brobygger_shared/swagger_ui/) with its licence and a note of
# where it came from. The result is committed: /docs works on a network without internet. Change the
# version here, run this, commit. (The gateway's own web assets: scripts/vendor-assets.sh.)
set -euo pipefail

cd "$(dirname "$0")/.."
SWAGGER_UI=5.35.0
TARGET=shared/brobygger_shared/swagger_ui

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "swagger-ui-dist@$SWAGGER_UI" >/dev/null && tar xzf ./*.tgz)

rm -rf "$TARGET"
mkdir -p "$TARGET"
# The bundle, its stylesheet and icon; the licence, the NOTICE Apache-2.0 asks to keep, and the
# licences of what the bundle includes.
for file in swagger-ui-bundle.js swagger-ui.css favicon-32x32.png LICENSE NOTICE swagger-ui-bundle.js.LICENSE.txt; do
    cp "$work/package/$file" "$TARGET/$file"
done
cat > "$TARGET/SOURCE" <<NOTE
swagger-ui-dist@$SWAGGER_UI from the npm registry (https://www.npmjs.com/package/swagger-ui-dist),
refreshed by scripts/vendor-swagger-ui.sh. Licence: Apache-2.0 (LICENSE beside this file).
NOTE
echo "vendored swagger-ui-dist@$SWAGGER_UI -> $TARGET"
