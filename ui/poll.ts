/**
 * Runs `check` every `intervalMs` while the tab is in view, and at once when it comes back into
 * view; a hidden tab makes no requests and sets no timers. One check at a time. Returns the stop
 * the page calls when it is left (state.leave).
 */
export function poll(check: () => Promise<void>, intervalMs: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let running = false;
  const run = async () => {
    if (stopped || running) return;
    clearTimeout(timer);
    if (document.visibilityState !== 'visible') return;
    running = true;
    try {
      await check();
    } finally {
      running = false;
    }
    if (!stopped && document.visibilityState === 'visible') timer = setTimeout(() => void run(), intervalMs);
  };
  const onVisibility = () => {
    if (document.visibilityState === 'visible') void run();
    else clearTimeout(timer);
  };
  document.addEventListener('visibilitychange', onVisibility);
  timer = setTimeout(() => void run(), intervalMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
