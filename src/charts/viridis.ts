// Viridis, the perceptually uniform colour map of van der Walt and Smith (CC0), as 17 evenly spaced stops with
// linear steps between them: within 5/255 per channel of the full map (viridis.test.ts checks it against d3's),
// for a fraction of the bytes d3-scale-chromatic brings with it (all its schemes, about 4 KB gzip on a page).
const STOPS = '44015448186a472d7b4240863b528b33638d2c728e26828e21918c1fa08828ae803fbc735ec96284d44baddc30d8e219fde725';

const stop = (k: number, channel: number) => parseInt(STOPS.slice(k * 6 + channel * 2, k * 6 + channel * 2 + 2), 16);

/** `n` colours (n >= 2) from dark violet (0) to yellow (n - 1), each [r, g, b] in 0-255. */
export function viridisPalette(n = 256): [number, number, number][] {
  const last = STOPS.length / 6 - 1;
  return Array.from({ length: n }, (_, i) => {
    const t = (i / (n - 1)) * last;
    const k = Math.min(last - 1, Math.floor(t));
    const f = t - k;
    const mix = (c: number) => Math.round(stop(k, c) + (stop(k + 1, c) - stop(k, c)) * f);
    return [mix(0), mix(1), mix(2)];
  });
}
