#!/usr/bin/env bash
# Runs scripts/device/run-bench.sh here, without a GPU, so a mistake in it cannot waste a GPU machine's time: on
# Chromium's SwiftShader driver, at tiny shapes, with the loaders unpacked into a scratch folder. Then checks that
# every result file it should write is there. Prepares .gpu/ afresh first, as the GPU run will need. Needs Chromium.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/device/prepare-bench.sh > /dev/null
# The sweeps' full lists of tilings must parse (bench:conv checks them before it starts; on the cpu backend our tilings
# are not timed, so this takes seconds); the run below sweeps two of each, timed once, as SwiftShader is slow.
sweep() { grep -o "^$1=\${$1:-[^}]*" scripts/device/run-bench.sh | sed "s/^.*:-//"; }
npm run --silent bench:conv -- --backend cpu --arch resnet-tiny --batch 1 --size 8 --repeats 1 --tilings "$(sweep SWEEP)" --gemm-tilings "$(sweep GEMM_SWEEP)" > /dev/null
OUT=$(mktemp -d)
SWEEP=m32n32r4k32w1024,m32n32r4k32w4096vp GEMM_SWEEP=m64n32r8k16v,m32n32r4k16 CONV_REPEATS=1 TIME_SCALE=3 OUT=$OUT BATCH=2 BIG=4 SIZE=16 STEPS=1 DEMO_BATCH=1 DEMO_SIZE=24 LIBROOT=$(mktemp -d) VK_DRIVER_FILES=/usr/lib/chromium/vk_swiftshader_icd.json \
  LD_LIBRARY_PATH=/usr/lib/chromium bash scripts/device/run-bench.sh > /dev/null
missing=0
for f in bench-b2-stock bench-b2-ours conv-b2 bench-b2-host-only bench-b4-stock bench-b4-ours bench-b2-ours-submit64 bench-b1-s24 conv-b1-s24; do
  [ -s "$OUT/$f.json" ] || { echo "missing: $f.json" >&2; missing=1; }
done
if grep -q "^error:" "$OUT/bench.log"; then grep "^error:" "$OUT/bench.log" >&2; missing=1; fi
# What comes back from the GPU machine is recorded with npm run bench:record: every file must be accepted.
RESULTS=$(mktemp)
echo '{ "note": "dry run", "runs": [] }' > "$RESULTS"
npm run --silent bench:record -- "$OUT"/*.json --results "$RESULTS" || missing=1
# The tuned run happens only when the sweep found something faster than the defaults.
[ -s "$OUT/bench-b2-ours-tuned.json" ] && echo "the step was also timed with the sweep's fastest choices"
ls "$OUT"
[ $missing = 0 ] && echo "dry run complete: $OUT"
exit $missing
