// Reads a demo's state from the page URL and writes it back without adding history entries.
import { readState, writeState, type Schema } from '../../lib/url-state';

export function loadFromUrl<S extends object>(schema: Schema<S>, prefix: string): S {
  return readState(schema, new URLSearchParams(location.search), prefix);
}

export function saveToUrl<S extends object>(schema: Schema<S>, prefix: string, state: S): void {
  const params = writeState(schema, state, new URLSearchParams(location.search), prefix);
  const query = params.toString();
  const url = `${location.pathname}${query ? `?${query}` : ''}${location.hash}`;
  if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(history.state, '', url);
}
