// Test support: element-wise comparison with a relative tolerance, naming the first element that is off.

/** |got - want| <= tol * max(1, |want|) for every element, with the first offender named (after `what`, if given). */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what = ''): void {
  const at = what ? `${what}: ` : '';
  if (got.length !== want.length) throw new Error(`${at}length ${got.length}, expected ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (!(Math.abs(g - w) <= tol * Math.max(1, Math.abs(w))))
      throw new Error(`${at}element ${i}: ${g}, expected ${w} (tolerance ${tol})`);
  }
}
