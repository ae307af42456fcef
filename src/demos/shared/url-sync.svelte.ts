// Keeps a demo's state in the page URL: read once the island hydrates, written back (without history entries) on
// every change after that.
import { onMount } from 'svelte';
import type { Schema } from '../../lib/url-state';
import { loadFromUrl, saveToUrl } from './url-sync';

/** Call during component setup: `syncWithUrl(schema, 'prefix', () => s, (v) => (s = v))`. */
export function syncWithUrl<S extends object>(
  schema: Schema<S>,
  prefix: string,
  get: () => S,
  set: (state: S) => void,
): void {
  let hydrated = $state(false);
  onMount(() => {
    set(loadFromUrl(schema, prefix));
    hydrated = true;
  });
  $effect(() => {
    const snapshot = $state.snapshot(get()) as S;
    if (hydrated) saveToUrl(schema, prefix, snapshot);
  });
}
