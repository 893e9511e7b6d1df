import { api } from '../api.js';
import { announce, h, typing } from '../dom.js';
import { navigate } from '../shell.js';

const ROUND_TRIP_MARGIN_SECONDS = 2;
let dismiss: (() => void) | null = null;

/**
 * After a decision: says what was decided and offers to take it back while the server allows it
 * (`seconds`), by the button or the `u` key, while the reviewer already works on the next
 * claim. Undoing reopens the claim (at `reopen`, its page with the queue's filters), reserved for the reviewer again.
 */
export function offerUndo(claimId: string, requestNumber: string, what: string, seconds: number, reopen: string): void {
  dismiss?.();
  const message = h('span', {}, `Claim ${requestNumber} ${what}. `);
  const button = h('button', { type: 'button', class: 'undo', 'aria-keyshortcuts': 'u' }, 'Undo (u)');
  const toast = h('div', { id: 'undo-toast', class: 'undo-toast', role: 'status' }, message, button);
  const undo = async () => {
    button.disabled = true;
    clearTimeout(timer);
    try {
      await api('POST', `/claims/${encodeURIComponent(claimId)}/decision/undo`);
      close();
      announce(`Your decision on claim ${requestNumber} was taken back.`);
      navigate(reopen);
    } catch (e) {
      button.remove();
      message.textContent = e instanceof Error ? e.message : String(e);
      timer = setTimeout(close, 6_000);
    }
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key.toLowerCase() !== 'u' || event.ctrlKey || event.metaKey || event.altKey || typing(event)) return;
    if (document.querySelector('dialog[open]') || button.disabled || !button.isConnected) return;
    event.preventDefault();
    void undo();
  };
  const close = () => {
    clearTimeout(timer);
    document.removeEventListener('keydown', onKey);
    toast.remove();
    if (dismiss === close) dismiss = null;
  };
  button.addEventListener('click', () => void undo());
  document.addEventListener('keydown', onKey);
  // Withdrawn a little before the server's window closes, so an Undo pressed at the last moment still arrives in time.
  let timer = setTimeout(close, Math.max(1, seconds - ROUND_TRIP_MARGIN_SECONDS) * 1000);
  dismiss = close;
  document.body.append(toast);
}
