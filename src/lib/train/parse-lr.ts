// Reads a learning rate as people write it: "1e-3", "slice(1e-6,1e-4)", "slice(1e-3)".
import { slice, type LrSpec } from './lr-groups';

export function parseLr(text: string): LrSpec {
  const t = text.replace(/\s+/g, '');
  const num = (s: string) => {
    const x = Number(s);
    if (!Number.isFinite(x) || x <= 0) throw new Error(`"${s}" is not a positive learning rate`);
    return x;
  };
  const m = /^slice\(([^,()]+)(?:,([^,()]+))?\)$/.exec(t);
  if (m) return m[2] === undefined ? slice(num(m[1]!)) : slice(num(m[1]!), num(m[2]));
  return num(t);
}
