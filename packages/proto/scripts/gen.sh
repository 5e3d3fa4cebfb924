#!/usr/bin/env bash
# gen.sh lints proto/ and regenerates src/gen from it with ts-proto through the npm buf binary.
# Deterministic: src/gen is deleted first and the output carries no timestamps.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf src/gen
./node_modules/.bin/buf lint
./node_modules/.bin/buf generate
