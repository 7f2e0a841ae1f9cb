// @ts-check
// Small helpers for making the page's elements, and for showing values and times.

const SVG = 'http://www.w3.org/2000/svg';

/** @param {string} tag @param {Record<string, string | number>} [attributes] @param {string} [text] */
export function svg(tag, attributes = {}, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/**
 * @param {string} tag
 * @param {Record<string, string>} [attributes]
 * @param {(string | Node)[]} children
 */
export function html(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** A state value in words: `growing`, `processing.running`. @param {unknown} value @returns {string} */
export function describeValue(value) {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  return Object.entries(value)
    .map(([key, child]) => `${key}.${describeValue(child)}`)
    .join(', ');
}

/** A clock time with milliseconds, local: `15:02:11.123`. @param {number} at */
export function clockTime(at) {
  const date = new Date(at);
  const pad = (/** @type {number} */ n, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** A duration, short: `340 ms`, `2.4 s`, `3 min`. @param {number} ms */
export function duration(ms) {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/**
 * Makes `body`'s rows those of `items`, in order: each item's row is kept from frame to frame (by its
 * key), and only the cells whose text changed are touched, so that a busy page lays out and paints little.
 * @template T
 * @param {Element} body
 * @param {readonly T[]} items
 * @param {(item: T) => string} keyOf
 * @param {(item: T) => string[]} cellsOf the text of each cell
 * @param {(item: T) => string} classOf the row's class
 * @param {Record<string, string>[]} [cellAttributes] the attributes of each column's cells
 */
export function syncRows(body, items, keyOf, cellsOf, classOf, cellAttributes = []) {
  /** @type {Map<string, Element>} */
  const existing = new Map();
  for (const row of body.children) existing.set(row.getAttribute('data-key') ?? '', row);
  let cursor = body.firstElementChild;
  for (const item of items) {
    const key = keyOf(item);
    const cells = cellsOf(item);
    let row = existing.get(key);
    if (row === undefined) {
      row = html(
        'tr',
        { 'data-key': key },
        ...cells.map((text, i) => html('td', cellAttributes[i] ?? {}, text)),
      );
    } else {
      existing.delete(key);
      cells.forEach((text, i) => {
        const cell = row?.children[i];
        if (cell && cell.textContent !== text) cell.textContent = text;
      });
    }
    const className = classOf(item);
    if (row.getAttribute('class') !== className) row.setAttribute('class', className);
    if (row === cursor) cursor = cursor.nextElementSibling;
    else body.insertBefore(row, cursor);
  }
  for (const row of existing.values()) row.remove();
}
