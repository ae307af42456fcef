#!/usr/bin/env bash
# Runs the training-step benchmark on a GPU machine without Node: unpacks Node, Dawn and the Vulkan/GL loaders
# that scripts/device/prepare-bench.sh put in .gpu/, then benchmarks ResNet-S through our engine on WebGPU.
# Run from the repository root: OUT=<folder for results> bash scripts/device/run-bench.sh
# The most wanted figures come first, so a run cut short still has them.
# A dry run here, on SwiftShader with tiny shapes, checks the script itself (scripts/device/dry-run.sh). The JSON files
# it leaves in $OUT go on the Performance page with `npm run bench:record -- <files>` back in the checkout.
set -uo pipefail
OUT=${OUT:-/tmp/out}
# The benchmark's shapes: the batch, a larger batch, the image size, timed steps.
BATCH=${BATCH:-64} BIG=${BIG:-256} SIZE=${SIZE:-96} STEPS=${STEPS:-10}
# Timed runs of each convolution kernel per layer in the sweeps (the demo's size: at most 3).
CONV_REPEATS=${CONV_REPEATS:-5}
# Every step's time limit is multiplied by this (the dry run on SwiftShader, which compiles slowly, needs more).
TIME_SCALE=${TIME_SCALE:-1}
# The training demo's defaults (src/demos/train-run/state.ts): batch 32 at 64 px.
DEMO_BATCH=${DEMO_BATCH:-32} DEMO_SIZE=${DEMO_SIZE:-64}
# Where the loaders are unpacked ('/' on the GPU machine), and the Vulkan driver Dawn is to use.
LIBROOT=${LIBROOT:-/}
export VK_DRIVER_FILES=${VK_DRIVER_FILES:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json} XDG_RUNTIME_DIR=/tmp
mkdir -p "$OUT" "$LIBROOT"
for f in .gpu/*.deb; do dpkg -x "$f" "$LIBROOT"; done
[ "$LIBROOT" = / ] && ldconfig
G=$(mktemp -d); mkdir -p $G/node_modules/webgpu/dist/linux-x64
xz -dc .gpu/node.xz > $G/node && chmod +x $G/node
xz -dc .gpu/dawn.node.xz > $G/node_modules/webgpu/dist/linux-x64/dawn.node
cp .gpu/webgpu/index.js .gpu/webgpu/package.json $G/node_modules/webgpu/
for cli in bench bench-conv; do xz -dc .gpu/$cli.mjs.xz > $G/$cli.mjs; done
cd $G
(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1 || echo "no nvidia-smi") | tee $OUT/bench.log
./node --version | tee -a $OUT/bench.log
bench() { # bench <seconds> <json name> <args...>
  local limit=$(( $1 * TIME_SCALE )) name=$2; shift 2
  timeout "$limit" ./node bench.mjs --backend webgpu --size $SIZE "$@" --json "$OUT/$name.json" 2>&1 | grep -v "^\s*at " | tee -a $OUT/bench.log
}
conv() { # conv <seconds> <json name> <batch> <size> <repeats>: every convolution layer by layer, our tilings swept
  timeout "$(( $1 * TIME_SCALE ))" ./node bench-conv.mjs --backend webgpu --batch $3 --size $4 --repeats $5 --tilings $SWEEP --gemm-tilings $GEMM_SWEEP --json "$OUT/$2.json" 2>&1 | grep -v "^\s*at " | tee -a $OUT/bench.log
}
# Each kernel set in its own process, so one run's state (buffer pools, compiled pipelines) cannot favour the other.
bench 150 bench-b$BATCH-stock --kernels stock --batch $BATCH --steps $STEPS
bench 150 bench-b$BATCH-ours --kernels ours --batch $BATCH --steps $STEPS
# Every convolution kernel layer by layer: TF.js's defaults and alternatives, and our tilings side by side: the
# forward pass's and input gradient's (GEMM_SWEEP) and the filter gradient's (SWEEP); in each the presets, every one
# tested in CI, and more blocks, splits or staged terms, 4-channel loads and prefetching. A variant whose result
# differs from stock's is reported WRONG and never chosen. Then the whole step with what was fastest, if that is not
# the default: for each of our kernels each filter shape with its fastest tiling (a plan; the one fastest tiling where
# no shape does better alone), and TF.js's faster alternatives. (The dry run sweeps fewer: SwiftShader compiles
# slowly.)
SWEEP=${SWEEP:-m32n32r4k32w1024,m32n32r4k32w4096,m32n32r4k32w4096p,m32n32r4k16w4096p,m64n32r8k32w1024,m64n32r8k32w4096,m64n32r8k32w4096p,m64n64r4k16w1024,m64n64r4k16w4096,m64n64r8k16w2048p,m128n32r8k16w2048p,m32n64r4k32w4096p,m32n32r4k32w1024v,m32n32r4k32w4096vp,m64n32r8k32w4096vp,m64n64r4k16w4096v,m64n64r8k16w2048vp}
GEMM_SWEEP=${GEMM_SWEEP:-m64n32r8k16v,m64n32r8k16vp,m64n32r8k32vp,m64n32r4k16v,m32n32r4k16v,m32n32r4k16,m32n32r4k32vp,m32n64r4k16v,m64n64r4k16v,m64n64r8k16v,m64n64r8k16vp,m128n32r8k16v,m128n64r8k16v,m128n64r8k16vp,m128n64r8k8}
conv 300 conv-b$BATCH $BATCH $SIZE $CONV_REPEATS
# Each kernel's fastest plan, where it is not the default; TF.js's faster alternatives only for kernels of ours not timed.
TUNED=$(./node -e "try { const j = require('$OUT/conv-b$BATCH.json'); const a = []; const t = j.fastestPlan ?? j.fastestTiling; if (t && t !== j.defaultTiling) a.push('--filter-tiling', t); for (const [flag, p] of [['--forward-tiling', j.fastestForwardPlan], ['--input-tiling', j.fastestInputPlan]]) if (p && p !== j.defaultGemmTiling) a.push(flag, p); for (const f of j.fasterFlags) a.push('--tf-flag', f); console.log(a.join(' ')) } catch { console.log('') }")
if [ -n "$TUNED" ]; then bench 100 bench-b$BATCH-ours-tuned --kernels ours --batch $BATCH --steps $STEPS $TUNED; fi
# The CPU's part of a step alone (every dispatch a no-op): how far each kernel set is from being bound by the CPU.
bench 100 bench-b$BATCH-host-only --kernels both --batch $BATCH --steps $STEPS --host-only
for k in stock ours; do bench 150 bench-b$BIG-$k --kernels $k --batch $BIG --steps $(( (STEPS + 1) / 2 )); done
# Fewer, larger submits: whether TF.js's default of 15 dispatches per submit costs wall time once dispatches are few.
bench 100 bench-b$BATCH-ours-submit64 --kernels ours --batch $BATCH --steps $STEPS --submit-batch 64
# The site's training demo at its default batch and size: how fast a reader with a fast GPU trains, and whether the
# fastest tilings there are the ones found at batch 64 and 96 px (if not, one default plan cannot suit every size).
(SIZE=$DEMO_SIZE; bench 100 bench-b$DEMO_BATCH-s$DEMO_SIZE --kernels both --batch $DEMO_BATCH --steps $STEPS)
conv 150 conv-b$DEMO_BATCH-s$DEMO_SIZE $DEMO_BATCH $DEMO_SIZE $(( CONV_REPEATS < 3 ? CONV_REPEATS : 3 ))
