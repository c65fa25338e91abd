# shellcheck shell=bash
# Shared by the .ci scripts (sourced, not run).

ci_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Downloads (helm, node tools) are kept here between runs; every download is pinned.
ci_cache="${CVD_CI_CACHE:-${HOME:-/tmp}/.cache/cvd-planner-ci}"

# Installs the node tools pinned in .ci/tools/package-lock.json (npm ci) into the cache, once
# per lock file, and prints the directory that holds their node_modules.
ci_node_tools() {
    local sum dir
    sum="$(cat "$ci_root/.ci/tools/package.json" "$ci_root/.ci/tools/package-lock.json" | sha256sum | cut -c1-16)"
    dir="$ci_cache/node-tools-$sum"
    if [[ ! -d "$dir/node_modules" ]]; then
        mkdir -p "$dir"
        cp "$ci_root/.ci/tools/package.json" "$ci_root/.ci/tools/package-lock.json" "$dir/"
        (cd "$dir" && npm ci --silent --no-audit --no-fund) >&2
    fi
    echo "$dir"
}
