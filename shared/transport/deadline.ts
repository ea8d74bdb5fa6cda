/**
 * An abort signal that times out after `ms`, and `clear()` to cancel its timer once the work is
 * done. `AbortSignal.timeout` cannot be cancelled: its timer fired for every source call long
 * after the answer, each time building a DOMException and dispatching `abort` (seen in a CPU
 * profile of the local API under load, on the event loop among the requests).
 */
export const deadline = (ms: number): { signal: AbortSignal; clear: () => void } => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
  // As AbortSignal.timeout's: a pending deadline does not keep the process alive.
  timer.unref?.();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
};
