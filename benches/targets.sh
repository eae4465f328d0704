#!/usr/bin/env bash
# Issue 19's portfolio targets, measured in one run together with the reference models of
# ../shared/bench (the lean limit and the SimPy model), so that every figure can be read
# as a ratio to them: this machine's speed drifts by 10-15% within the hour.
#
#   bash benches/targets.sh [WORK_DIR]
#
# Builds `--profile dist`, the lean limit and a SimPy venv, generates 0.1M, 1M and 10M
# portfolios with `regsim gen` (kept in WORK_DIR, default /tmp/regsim-targets, and reused),
# then prints one markdown row per measurement. Needs about 10 GB of memory (10M domains
# without --bulk) and 15-20 minutes on a 2-core machine. Not run by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/regsim-targets}
mkdir -p "$work"
bench=../shared/bench

cargo build --profile dist --quiet
cargo build --release --quiet --manifest-path $bench/limit/Cargo.toml --target-dir "$work/limit"
if [ ! -x "$work/simpy/bin/python" ]; then
  python3 -m venv "$work/simpy"
  "$work/simpy/bin/pip" install --quiet simpy==4.1.2
fi
regsim=target/dist/regsim
limit=$work/limit/release/limit

for n in 100000 1000000 10000000; do
  [ -f "$work/p$n.yaml" ] || $regsim gen --domains $n --out "$work/p$n.yaml" >/dev/null
done
echo 'advance("10y"); print(metrics()["domains.active"]);' >"$work/ten.rhai"
echo 'print(1);' >"$work/zero.rhai"
echo 'let n = 0; for i in 0..1000000 { if available("example.com") { n += 1; } } print(n);' \
  >"$work/check.rhai"
echo 'let n = 0; for i in 0..1000000 { if true { n += 1; } } print(n);' >"$work/loop.rhai"

# Runs a command under /usr/bin/time; prints "SECONDS PEAK_KB" and keeps its output in
# $work/last.out.
timed() {
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/last.out" 2>&1
  cat "$work/time"
}
rate() { awk -v dy="$1" -v s="$2" 'BEGIN { printf "%.2fM/s", dy / s / 1e6 }'; }
digest() { grep -o 'digest: [0-9a-f]\{8\}' "$work/last.out" | cut -c9-; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "date: $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)"
echo
echo "| run | seconds | rate | peak RSS | note |"
echo "|---|---|---|---|---|"

for n in 1000000 10000000; do
  $limit $n 10 >"$work/last.out"
  s=$(grep -o 'in [0-9.]*s' "$work/last.out" | tr -dc '0-9.')
  echo "| lean limit $n x 10y | $s | $(rate $((n * 10)) "$s") | | |"
done
"$work/simpy/bin/python" $bench/simpy_portfolio.py 20000 10 >"$work/last.out"
s=$(grep -o 'wall_s=[0-9.]*' "$work/last.out" | cut -d= -f2)
echo "| SimPy model 20000 x 10y | $s | $(awk -v s="$s" 'BEGIN { printf "%.1fk/s", 200000 / s / 1e3 }') | | |"

for n in 100000 1000000 10000000; do
  read -r s kb < <(timed $regsim run "$work/zero.rhai" --fixture "$work/p$n.yaml" --bulk)
  load=$s
  read -r s kb < <(timed $regsim run "$work/ten.rhai" --fixture "$work/p$n.yaml" --bulk)
  echo "| regsim $n x 10y --bulk | $s (load $load) | $(rate $((n * 10)) "$s") | $((kb / 1024)) MiB = $((kb * 1024 / n)) B/domain | digest $(digest) |"
done

for n in 1000000 10000000; do
  read -r s kb < <(timed $regsim run "$work/ten.rhai" --fixture "$work/p$n.yaml")
  echo "| regsim $n x 10y, events kept | $s | $(rate $((n * 10)) "$s") | $((kb / 1024)) MiB | digest $(digest) |"
done

read -r s kb < <(timed $regsim run "$work/zero.rhai" --fixture "$work/p10000000.yaml" --bulk \
  --save-snapshot "$work/s.snap")
echo "| regsim load 10M and write its snapshot | $s (load $load) | | $((kb / 1024)) MiB | $(du -m "$work/s.snap" | cut -f1) MB snapshot |"
read -r s kb < <(timed $regsim run "$work/zero.rhai" --from-snapshot "$work/s.snap")
echo "| regsim restore the 10M snapshot | $s | | $((kb / 1024)) MiB | |"
rm -f "$work/s.snap"

read -r bare kb < <(timed $regsim run "$work/zero.rhai")
read -r plain kb < <(timed $regsim run "$work/loop.rhai")
read -r s kb < <(timed $regsim run "$work/check.rhai")
echo "| rhai: 1M available() in a loop | $s (start-up $bare, the loop alone $plain) | $(rate 1000000 "$(awk -v a="$s" -v b="$bare" 'BEGIN { print a - b }')") | | calls a second, start-up taken off |"
