#!/usr/bin/env bash
# Builds and runs test/go/attach-cpu through `golens run` (Go Lens's overlay: profiling
# endpoints, and the flight recorder from Go 1.25) with every Go release the fixtures cover,
# downloaded through GOTOOLCHAIN from the module proxy. Prints one line per version; exits 1 if
# any version fails. CI runs only the machine's own Go (test/unit/run); this script checks the
# older and newer ones. Usage: scripts/check-overlay-go-versions.sh [go1.N.P ...]
set -u
root="$(cd "$(dirname "$0")/.." && pwd)"
versions=("$@")
[ ${#versions[@]} -eq 0 ] && versions=(go1.21.13 go1.22.12 go1.23.12 go1.24.13 go1.25.14 go1.26.8 go1.27.4)
node "$root/scripts/build.mjs" --cli-only >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0
for v in "${versions[@]}"; do
  minor="${v#go1.}"; minor="${minor%%.*}"
  rm -f "$work"/*
  log="$work/log"
  if ! (cd "$root/test/go" && GOTOOLCHAIN="$v" GOFLAGS=-mod=mod CGO_ENABLED=0 node "$root/dist/cli.js" run \
      --cpu-profile "$work/cpu.pb.gz" --goroutines "$work/dump.txt" --flight-recorder "$work/flight.trace" \
      --seconds 2 ./attach-cpu -- 30) >"$log" 2>&1; then
    if [ "$minor" -ge 25 ] || ! grep -q 'has no flight recorder' "$log"; then
      echo "$v FAIL: $(tail -n 3 "$log" | tr '\n' ' ')"; status=1; continue
    fi
  fi
  ran="$(GOTOOLCHAIN="$v" go version 2>/dev/null | awk '{print $3}')"
  if ! grep -q 'main.burnHashes' "$work/dump.txt" 2>/dev/null; then echo "$v FAIL: no goroutine dump"; status=1; continue; fi
  if ! go tool pprof -top "$work/cpu.pb.gz" 2>/dev/null | grep -q main.burnHashes; then echo "$v FAIL: CPU profile unreadable"; status=1; continue; fi
  if [ "$minor" -ge 25 ]; then
    if ! go tool trace -d=parsed "$work/flight.trace" >/dev/null 2>&1; then echo "$v FAIL: flight recorder snapshot does not parse"; status=1; continue; fi
    echo "$v ok ($ran): endpoints, CPU profile, goroutine dump, flight recorder"
  else
    echo "$v ok ($ran): endpoints, CPU profile, goroutine dump (no flight recorder before Go 1.25)"
  fi
done
exit $status
