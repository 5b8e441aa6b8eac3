#!/usr/bin/env bash
# Refresh the gateway's vendored web assets from their npm packages at pinned versions, each with its
# licence file beside it. The result is committed: the gateway serves these files itself (no CDN), and
# a clean clone needs neither npm nor the network to run. Change a version here, run this, commit.
set -euo pipefail

cd "$(dirname "$0")/.."
VENDOR=services/gateway/brobygger_gateway/web/static/vendor

DESIGNSYSTEMET_CSS=1.22.0
DESIGNSYSTEMET_WEB=1.22.0
INTER=5.3.0
HTMX=2.0.11   # not 4.x: it changes the 2.x API (a CSRF header set on <body> silently stops being sent)
AXE=4.14.1    # for the browser tests only; never loaded by a page

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# unpack PACKAGE VERSION: fetch the tarball with npm pack and unpack it into $work/PACKAGE/package/
unpack() {
    local package=$1 version=$2 dir="$work/$1"
    mkdir -p "$dir"
    (cd "$dir" && npm pack --silent "$package@$version" >/dev/null && tar xzf ./*.tgz)
    echo "$dir/package"
}

# take PACKAGE VERSION FILE...: copy the named files (paths inside the package) and the licence; a
# file's directories are kept except a leading dist/ (so the repository's ignore rule for dist/ holds)
take() {
    local package=$1 version=$2; shift 2
    local from to="$VENDOR/$package"
    from=$(unpack "$package" "$version")
    rm -rf "$to"
    mkdir -p "$to"
    cp "$from/LICENSE" "$to/LICENSE"
    for file in "$@"; do
        local target="$to/${file#dist/}"
        mkdir -p "$(dirname "$target")"
        cp "$from/$file" "$target"
    done
    echo "$package@$version" > "$to/VERSION"
    echo "vendored $package@$version -> $to"
}

take @digdir/designsystemet-css "$DESIGNSYSTEMET_CSS" dist/src/index.css dist/theme/designsystemet.css
take @digdir/designsystemet-web "$DESIGNSYSTEMET_WEB" dist/umd/index.js
take htmx.org "$HTMX" dist/htmx.min.js
take axe-core "$AXE" axe.min.js LICENSE-3RD-PARTY.txt

# Inter: the latin and latin-ext subsets (æøå and the rest of Europe's Latin letters) in the weights
# Designsystemet uses, woff2 only. One inter.css holds their @font-face rules, unicode ranges kept, taken
# from fontsource's per-weight files (which also list subsets and a woff fallback we do not ship).
inter_files=()
for weight in 400 500 600 700; do
    inter_files+=("$weight.css" "files/inter-latin-$weight-normal.woff2" "files/inter-latin-ext-$weight-normal.woff2")
done
take @fontsource/inter "$INTER" "${inter_files[@]}"
inter="$VENDOR/@fontsource/inter"
for weight in 400 500 600 700; do
    awk 'BEGIN { RS = ""; ORS = "\n\n" } /inter-latin(-ext)?-[0-9]+-normal \*\//' "$inter/$weight.css"
    rm "$inter/$weight.css"
done | sed -E "s/, url\([^)]*\.woff\) format\('woff'\)//" > "$inter/inter.css"

# The documents (letters, contracts) embed Inter too, regular and bold, so a PDF renders to the same
# bytes on every machine whatever fonts it has installed.
fonts=shared/brobygger_shared/documents/fonts
rm -rf "$fonts" && mkdir -p "$fonts"
for weight in 400 700; do
    cp "$inter/files/inter-latin-$weight-normal.woff2" "$inter/files/inter-latin-ext-$weight-normal.woff2" "$fonts/"
done
cp "$inter/LICENSE" "$inter/VERSION" "$fonts/"
echo "copied Inter $INTER -> $fonts"
