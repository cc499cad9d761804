// Small DOM and formatting helpers shared by the player's modules.

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** A new element with properties and children. */
export function node(tag, props, children) {
  const e = document.createElement(tag);
  Object.assign(e, props || {});
  for (const child of children || []) e.append(child);
  return e;
}

/** Milliseconds as m:ss (or h:mm:ss). */
export function clock(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const two = (n) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m % 60)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}
