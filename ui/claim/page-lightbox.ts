import { h } from '../dom.js';

/**
 * One receipt page enlarged in a modal dialog: zoom with + / − (or the buttons), 0 fits the width,
 * Esc closes. Its keys stay inside the dialog, so the claim page's shortcuts do not fire behind it.
 */
let lightboxes = 0;

export function pageLightbox(): { element: HTMLDialogElement; open: (url: string, title: string) => void } {
  // Several flags may each show the receipts side by side: each dialog names itself by its own heading.
  const headingId = `lightbox-title-${++lightboxes}`;
  const heading = h('h2', { id: headingId });
  const img = h('img', { alt: '' });
  const frame = h('div', { class: 'lightbox-frame', tabindex: 0, role: 'region', 'aria-labelledby': headingId }, img);
  const newTab = h('a', { target: '_blank', rel: 'noopener' }, 'Open in a new tab');
  let zoom = 1;
  const setZoom = (next: number) => {
    zoom = Math.min(8, Math.max(0.1, next));
    img.style.width = `${Math.round(img.naturalWidth * zoom)}px`;
  };
  const fit = () => img.naturalWidth && setZoom((frame.clientWidth - 4) / img.naturalWidth);
  const button = (label: string, text: string, key: string, action: () => void) =>
    h('button', { type: 'button', 'aria-label': `${label} (${key})`, title: `${label} (${key})`, onclick: action }, text);
  const element = h(
    'dialog',
    { class: 'lightbox', 'aria-labelledby': headingId },
    h(
      'div',
      { class: 'toolbar' },
      heading,
      button('Zoom out', '−', '-', () => setZoom(zoom / 1.25)),
      button('Zoom in', '+', '+', () => setZoom(zoom * 1.25)),
      button('Fit to width', 'Fit', '0', fit),
      newTab,
      h('button', { type: 'button', onclick: () => element.close() }, 'Close'),
    ),
    frame,
  );
  img.addEventListener('load', fit);
  element.addEventListener('keydown', (event) => {
    const actions: Record<string, () => void> = {
      '+': () => setZoom(zoom * 1.25),
      '=': () => setZoom(zoom * 1.25),
      '-': () => setZoom(zoom / 1.25),
      '0': fit,
    };
    const action = actions[event.key];
    if (action) {
      action();
      event.preventDefault();
    }
    event.stopPropagation();
  });
  return {
    element,
    open(url, title) {
      heading.textContent = title;
      img.alt = title;
      newTab.href = url;
      newTab.setAttribute('aria-label', `Open ${title} in a new tab`);
      if (img.getAttribute('src') === url) fit();
      else img.src = url;
      element.showModal();
      frame.focus();
    },
  };
}
