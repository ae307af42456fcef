// Guided experiments of the "deeper-architectures" chapter (see ./types.ts).
import type { Experiment } from './types';

export const experiments: Experiment[] = [
  {
    id: 'deeper-needs-more-epochs',
    chapter: 'deeper-architectures',
    demo: 'arch-compare',
    title: 'resnet-s against resnet-s-deep, 6 epochs',
    params: { 'arch.epochs': '6' },
    lookFor:
      'The deeper model needs about twice the FLOPs per image (the table); see what that does to the seconds per epoch. In the error chart, see whether it falls behind early and catches up later: a deeper network often needs more epochs before its extra layers pay.',
  },
  {
    id: 'wider-instead-of-deeper',
    chapter: 'deeper-architectures',
    demo: 'arch-compare',
    title: 'resnet-s against resnet-s-wide',
    params: { 'arch.b': 'resnet-s-wide' },
    lookFor:
      'Doubling every width gives about four times the parameters and FLOPs (the table), more than doubling the depth does. Compare seconds per epoch and images per second with what the FLOP ratio predicts.',
  },
  {
    id: 'tiny-against-deep',
    chapter: 'deeper-architectures',
    demo: 'arch-compare',
    title: 'resnet-tiny against resnet-s-deep, at 96 px',
    params: { 'arch.a': 'resnet-tiny', 'arch.size': '96' },
    lookFor:
      'The size table at 96 px shows ResNet-S’s reference 0.857 GFLOP per training image beside a model with a small fraction of its parameters. Does the tiny one learn anything in three epochs, and how much faster is it per epoch?',
  },
  {
    id: 'fp16-gradient-lost',
    chapter: 'deeper-architectures',
    demo: 'half-precision-lab',
    title: 'a gradient of 1e-9, without loss scaling',
    params: { 'fp16.grad': '-9', 'fp16.scale': '0' },
    lookFor:
      'Stored in float16 the gradient is 0: the weight it belongs to would never learn. Raise the loss scale a step at a time and watch the recovered value appear, and the count of lost gradients below fall; past 2^17 the large ones start to overflow.',
  },
  {
    id: 'fp16-master-copy',
    chapter: 'deeper-architectures',
    demo: 'half-precision-lab',
    title: '1,000 updates of 1e-5 to a weight of 1',
    params: { 'fp16.update': '-5', 'fp16.steps': '1000' },
    lookFor:
      'The float16 line stays flat at 0 (the weight never moves), the float32 master copy climbs to 0.01. Raise the update until the float16 weight starts to move: it happens once the update passes half the spacing near 1.',
  },
];
