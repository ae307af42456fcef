// The chapter's worked example (fastbook chapter 5): torch.random.manual_seed(42); acts = torch.randn((6,2))*2,
// with targets [0,1,0,1,1,0]. ../shared/reference/README.md (section 4) prints these activations to 4 decimals;
// here they are at float32 precision, which is what the book computed with (a test checks that they round to the
// reference's values). These are inputs only: every number derived from them on the site is computed live.

export const chapterActs: readonly (readonly [number, number])[] = [
  [0.6733807325363159, 0.25761881470680237],
  [0.46892473101615906, 0.4606660604476929],
  [-2.2457127571105957, -0.37265658378601074],
  [4.416402816772461, -1.275994062423706],
  [0.9233144521713257, 0.5347017645835876],
  [1.0698093175888062, 1.618714451789856],
];

export const chapterTargets: readonly number[] = [0, 1, 0, 1, 1, 0];
