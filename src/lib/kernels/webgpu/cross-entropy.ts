// The training loss on WebGPU: mean cross-entropy of the logits against integer targets in one dispatch, and its
// gradient, (softmax - one-hot) / N, in one more. TF.js's ops (log-softmax, one-hot, gather, mean) and their
// gradients take about 20 dispatches. Numerically as logSoftmax: the row's maximum is taken out before exp.
import * as tf from '@tensorflow/tfjs-core';
import { getMainHeaderString as main } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { FlatProgram, i32, runProgram } from './flat-program';
import { LANES, LaneSumProgram, SUM_ACROSS_LANES } from './lane-sum';

/** WGSL: the row's maximum `mx` and sum of exp(logit - mx) `total`, for row `r`. */
const ROW_SOFTMAX_TERMS = `
        let base = r * uniforms.classes;
        var mx = logits[base];
        for (var c = 1; c < uniforms.classes; c = c + 1) {
          mx = max(mx, logits[base + c]);
        }
        var total = 0.0;
        for (var c = 0; c < uniforms.classes; c = c + 1) {
          total = total + exp(logits[base + c] - mx);
        }`;

class LossProgram extends LaneSumProgram {
  variableNames = ['logits', 'targets'];
  uniforms = 'rows : i32, classes : i32,';
  shaderKey = 'ownCrossEntropy';

  constructor() {
    super([1], 1);
  }

  getUserCode(): string {
    return `
    ${SUM_ACROSS_LANES}
    ${main('index')} {
      var s = 0.0;
      for (var r = i32(localIndex); r < uniforms.rows; r = r + ${LANES}) {
        ${ROW_SOFTMAX_TERMS}
        s = s + log(total) + mx - logits[base + i32(targets[r])];
      }
      let sum = sumAcrossLanes(s);
      if (localIndex == 0u) {
        setOutputAtIndex(0, sum / f32(uniforms.rows));
      }
    }`;
  }
}

class LossGradProgram extends FlatProgram {
  variableNames = ['logits', 'targets', 'dy'];
  uniforms = 'rows : i32, classes : i32,';
  shaderKey = 'ownCrossEntropyGrad';

  getUserCode(): string {
    return `
    ${main('index')} {
      if (index < uniforms.size) {
        let r = index / uniforms.classes;
        ${ROW_SOFTMAX_TERMS}
        let p = exp(logits[index] - mx) / total;
        let hot = select(0.0, 1.0, index - base == i32(targets[r]));
        setOutputAtIndex(index, (p - hot) * dy[0] / f32(uniforms.rows));
      }
    }`;
  }
}

/** Mean cross-entropy, differentiable in the logits (tf.customGrad). Targets are class indices. */
export function crossEntropyWebGPU(backend: WebGPUBackend, logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  const [rows, classes] = logits.shape;
  const dims = [i32(rows), i32(classes)];
  const run = (program: FlatProgram | LaneSumProgram, inputs: tf.Tensor[]) =>
    runProgram(backend, program, inputs, dims);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    const loss = tf.reshape(run(new LossProgram(), [x, targets]), []) as tf.Scalar;
    save([x, targets]);
    return {
      value: loss,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        run(new LossGradProgram(x.shape), [saved[0]!, saved[1]!, tf.reshape(dy, [1])]),
    };
  });
  return op(logits) as tf.Scalar;
}
