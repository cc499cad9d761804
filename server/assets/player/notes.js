// Notes and bookmarks on the open session: listed in the details panel (a bookmark's moment is a
// link that seeks), written with the form below them (at the playhead when "bookmark" is
// ticked), deleted with their button. Bookmarks are also markers on the timeline's bookmark lane
// and entries of the event list.

import { $, clock, node } from './dom.js';
import { api } from './api.js';
import { fail, showError } from './errors.js';
import { player } from './state.js';
import { seek } from './playback.js';

/** The longest note the collector takes (`api::notes::MAX_NOTE_CHARS`). */
const MAX_NOTE_CHARS = 2000;

const el = { list: $('notes'), form: $('note-form'), text: $('note-text'), at: $('note-at') };
let onChanged = () => {};

const notesPath = () => `/v1/sessions/${encodeURIComponent(player.sessionId)}/notes`;

/** Loads the open session's notes, shows them and puts its bookmarks among the markers. */
export async function loadNotes() {
  const id = player.sessionId;
  const body = await api(notesPath());
  if (id !== player.sessionId) return;
  player.notes = body.notes;
  showNotes();
}

function showNotes() {
  const start = player.events.start_ms;
  const others = player.events.markers.filter((m) => m.kind !== 'bookmark');
  const bookmarks = player.notes.filter((n) => n.at_ms !== undefined)
    .map((n) => ({ time_ms: n.at_ms, kind: 'bookmark', label: `bookmark: ${n.text}`, note_id: n.note_id }));
  player.events.markers = others.concat(bookmarks).sort((a, b) => a.time_ms - b.time_ms);
  el.list.replaceChildren(...(player.notes.length ? player.notes.map((n) => {
    const remove = node('button', { type: 'button', className: 'note-delete', textContent: 'Delete' });
    remove.setAttribute('aria-label', `Delete the note "${n.text.slice(0, 40)}"`);
    remove.addEventListener('click', () => removeNote(n.note_id).catch(fail));
    const when = n.at_ms !== undefined
      ? node('button', { type: 'button', className: 'note-at', textContent: clock(n.at_ms - start) })
      : node('span', { className: 'note-when', textContent: new Date(n.created_ms).toLocaleString() });
    if (n.at_ms !== undefined) when.addEventListener('click', () => seek(n.at_ms).catch(fail));
    const li = node('li', {}, [when, node('span', { className: 'note-text', textContent: ` ${n.text} ` }), remove]);
    li.dataset.noteId = n.note_id;
    if (n.at_ms !== undefined) li.dataset.bookmark = 'true';
    return li;
  }) : [node('li', { className: 'empty', textContent: 'No notes yet.' })]));
  onChanged();
}

async function addNote() {
  const text = el.text.value.trim();
  if (!text) return showError('Write something before adding a note.');
  if (text.length > MAX_NOTE_CHARS) return showError(`A note is at most ${MAX_NOTE_CHARS} characters.`);
  const body = el.at.checked ? { text, at_ms: Math.round(player.timeMs) } : { text };
  const note = await api(notesPath(), 'POST', body);
  player.notes.push(note);
  el.text.value = '';
  showNotes();
}

async function removeNote(noteId) {
  await api(`${notesPath()}/${encodeURIComponent(noteId)}`, 'DELETE');
  player.notes = player.notes.filter((n) => n.note_id !== noteId);
  showNotes();
}

/** Wires the form; `changed` redraws what shows bookmarks (the timeline, the event list). */
export function initNotes(changed) {
  onChanged = changed;
  el.text.maxLength = MAX_NOTE_CHARS;
  el.form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (player.events) addNote().catch(fail);
  });
}
