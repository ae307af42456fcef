// Lets the event loop run between batches. A training loop whose awaits all resolve as microtasks (the wasm and cpu
// backends, images already decoded) never lets its thread read new messages, so a Stop posted to the worker would
// wait until the loop ends; one macrotask turn per batch lets it in.

/** Resolves on a later turn of the event loop (after messages already queued have been handled). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
