// Guided experiments of the "softmax" chapter (see ./types.ts).
import type { Experiment } from './types';

export const experiments: Experiment[] = [
  {
    id: 'softmax-one-class-leads',
    chapter: 'softmax',
    demo: 'softmax-lab',
    title: 'Ten classes, one activation 3 higher than the rest',
    params: { 'softmax.acts': '3,0,0,0,0,0,0,0,0,0' },
    lookFor:
      'A lead of 3 is enough for class 0 to take most of the probability although nine classes share the rest. Move its ' +
      'slider down to 1 and then to 0 and watch its share fall towards 1/10.',
  },
  {
    id: 'softmax-shift-changes-nothing',
    chapter: 'softmax',
    demo: 'softmax-lab',
    title: 'Add 4 to every activation',
    params: { 'softmax.shift': '4' },
    lookFor:
      'Every exp bar grows by the same factor e⁴ (about 55), the softmax bars do not move at all. Only differences between ' +
      'activations matter.',
  },
  {
    id: 'softmax-low-temperature',
    chapter: 'softmax',
    demo: 'softmax-lab',
    title: 'Temperature 0.25',
    params: { 'softmax.temp': '0.25' },
    lookFor:
      'Dividing by 0.25 multiplies every gap by 4: the same three activations now give class 0 most of the probability and ' +
      'class 2 almost none. Lower it further and softmax becomes argmax.',
  },
  {
    id: 'softmax-high-temperature',
    chapter: 'softmax',
    demo: 'softmax-lab',
    title: 'Temperature 4',
    params: { 'softmax.temp': '4' },
    lookFor:
      'The gaps shrink to a quarter and the three bars head towards one third each: the order is kept, the confidence is gone.',
  },
  {
    id: 'softmax-two-classes',
    chapter: 'softmax',
    demo: 'softmax-lab',
    title: "The chapter's first item: two classes",
    params: { 'softmax.acts': '0.6734,0.2576' },
    lookFor:
      'With two activations the lab also prints the sigmoid of their difference: it equals softmax₀ (0.6025). Move either ' +
      'slider and the two numbers stay equal.',
  },
];
