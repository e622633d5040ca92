#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Sources the bash completion for pgtls-check and checks that it is registered and completes
# options, sslmode values, scenario names, bundle subcommands, regions and file names.
set -euo pipefail
script=$1
# shellcheck source=/dev/null
source "$script"
complete -p pgtls-check | grep -q -- '-F _pgtls_check' || { echo "not registered"; exit 1; }

fail=0
expect() { # expect "WORDS..." WORD_EXPECTED
    local line=$1 want=$2
    read -r -a COMP_WORDS <<<"$line"
    [[ $line == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _pgtls_check
    local w
    for w in "${COMPREPLY[@]}"; do
        [[ $w == "$want" ]] && return 0
    done
    echo "FAIL: '$line' does not offer '$want' (got: ${COMPREPLY[*]:-nothing})"
    fail=1
}
expect "pgtls-check --ssl" --sslmode
expect "pgtls-check --sslmode " verify-full
expect "pgtls-check --sslmode ver" verify-ca
expect "pgtls-check --demo --scenario " plaintext-accepted
expect "pgtls-check b" bundle
expect "pgtls-check bundle " download
expect "pgtls-check bundle download --re" --region
expect "pgtls-check bundle download --region eu-w" eu-west-3
expect "pgtls-check bundle download --partition " govcloud
expect "pgtls-check bundle info --" --json

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
touch "$dir/ca-bundle.pem"
expect "pgtls-check --sslrootcert $dir/ca-" "$dir/ca-bundle.pem"
expect "pgtls-check --html $dir/ca" "$dir/ca-bundle.pem"
expect "pgtls-check bundle download --out $dir/c" "$dir/ca-bundle.pem"
exit $fail
