import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeUpdate, emptyMinutesState, encodeBase64, MAX_MINUTES_TEXT, MAX_UPDATE_BYTES, mergeMinutesUpdate, minutesText, MINUTES_TEXT } from './minutes-yjs.js';

function editor(): { doc: Y.Doc; text: Y.Text; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  return { doc, text: doc.getText(MINUTES_TEXT), updates };
}

function merged(state: Uint8Array, update: Uint8Array): Uint8Array {
  const result = mergeMinutesUpdate(state, update);
  if (!result.ok || !result.changed) throw new Error(`not merged: ${JSON.stringify(result)}`);
  return result.state;
}

describe('decodeUpdate', () => {
  it('accepts standard base64 and returns the bytes', () => {
    const result = decodeUpdate(encodeBase64(new Uint8Array([1, 2, 3, 250])));
    expect(result).toEqual({ ok: true, bytes: new Uint8Array([1, 2, 3, 250]) });
  });

  it('refuses empty, non-base64, unpadded and oversized input', () => {
    expect(decodeUpdate('')).toEqual({ ok: false, code: 'REQUIRED' });
    expect(decodeUpdate('これは違う')).toEqual({ ok: false, code: 'INVALID' });
    expect(decodeUpdate('abc')).toEqual({ ok: false, code: 'INVALID' });
    expect(decodeUpdate('ab-_')).toEqual({ ok: false, code: 'INVALID' });
    expect(decodeUpdate('A'.repeat(4 * Math.ceil((MAX_UPDATE_BYTES + 3) / 3)))).toEqual({ ok: false, code: 'TOO_LONG' });
    expect(decodeUpdate(encodeBase64(new Uint8Array(MAX_UPDATE_BYTES + 1)))).toEqual({ ok: false, code: 'TOO_LONG' });
    expect(decodeUpdate(encodeBase64(new Uint8Array(MAX_UPDATE_BYTES))).ok).toBe(true);
  });
});

describe('mergeMinutesUpdate', () => {
  it('merges two concurrent editors so both texts survive, whichever arrives first', () => {
    const a = editor();
    const b = editor();
    a.text.insert(0, '区：公園の使用許可を確認する。');
    b.text.insert(0, '提案者：講師を手配する。');
    const oneWay = merged(merged(emptyMinutesState(), a.updates[0]!), b.updates[0]!);
    const otherWay = merged(merged(emptyMinutesState(), b.updates[0]!), a.updates[0]!);
    expect(minutesText(oneWay)).toBe(minutesText(otherWay));
    expect(minutesText(oneWay)).toContain('区：公園の使用許可を確認する。');
    expect(minutesText(oneWay)).toContain('提案者：講師を手配する。');
  });

  it('returns the new state and its plain text', () => {
    const a = editor();
    a.text.insert(0, 'はじめ');
    const state = merged(emptyMinutesState(), a.updates[0]!);
    a.text.insert(3, 'に');
    const result = mergeMinutesUpdate(state, a.updates[1]!);
    if (!result.ok || !result.changed) throw new Error('expected a change');
    expect(result.text).toBe('はじめに');
    expect(minutesText(result.state)).toBe('はじめに');
  });

  it('treats a retried update as no change', () => {
    const a = editor();
    a.text.insert(0, '一度だけ');
    const state = merged(emptyMinutesState(), a.updates[0]!);
    expect(mergeMinutesUpdate(state, a.updates[0]!)).toEqual({ ok: true, changed: false, text: '一度だけ' });
  });

  it('carries deletions', () => {
    const a = editor();
    a.text.insert(0, '消す文字');
    const state = merged(emptyMinutesState(), a.updates[0]!);
    a.text.delete(0, 2);
    const result = mergeMinutesUpdate(state, a.updates[1]!);
    expect(result.ok && result.changed && result.text).toBe('文字');
  });

  it('refuses an update that depends on an edit the server does not have (it would sit pending)', () => {
    const a = editor();
    a.text.insert(0, '最初');
    a.text.insert(2, 'の次');
    expect(mergeMinutesUpdate(emptyMinutesState(), a.updates[1]!)).toEqual({ ok: false, code: 'INVALID' });
  });

  it('refuses other shared types, embeds and formatting', () => {
    const other = new Y.Doc();
    other.getMap('secret').set('x', 'y');
    expect(mergeMinutesUpdate(emptyMinutesState(), Y.encodeStateAsUpdate(other))).toEqual({ ok: false, code: 'INVALID' });
    const embed = new Y.Doc();
    embed.getText(MINUTES_TEXT).insertEmbed(0, { image: 'x' });
    expect(mergeMinutesUpdate(emptyMinutesState(), Y.encodeStateAsUpdate(embed))).toEqual({ ok: false, code: 'INVALID' });
    const formatted = new Y.Doc();
    formatted.getText(MINUTES_TEXT).insert(0, '太字', { bold: true });
    expect(mergeMinutesUpdate(emptyMinutesState(), Y.encodeStateAsUpdate(formatted))).toEqual({ ok: false, code: 'INVALID' });
  });

  it('refuses a text longer than the limit, and accepts one at it', () => {
    const a = editor();
    a.text.insert(0, 'あ'.repeat(MAX_MINUTES_TEXT));
    const atLimit = mergeMinutesUpdate(emptyMinutesState(), a.updates[0]!);
    expect(atLimit.ok && atLimit.changed).toBe(true);
    const state = merged(emptyMinutesState(), a.updates[0]!);
    a.text.insert(0, 'い');
    expect(mergeMinutesUpdate(state, a.updates[1]!)).toEqual({ ok: false, code: 'TOO_LONG' });
  });

  it('never throws on garbage or damaged updates, and keeps the stored state as it was', () => {
    const a = editor();
    a.text.insert(0, '壊れた更新でも落ちない');
    const valid = a.updates[0]!;
    const state = merged(emptyMinutesState(), valid);
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 1500; i += 1) {
      let bytes: Uint8Array;
      if (i % 2 === 0) {
        bytes = new Uint8Array(1 + Math.floor(random() * 64)).map(() => Math.floor(random() * 256));
      } else {
        bytes = valid.slice(0, Math.max(1, Math.floor(random() * valid.length) + 1));
        bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      }
      const result = mergeMinutesUpdate(state, bytes);
      if (result.ok && result.changed) expect(result.text.length).toBeLessThanOrEqual(MAX_MINUTES_TEXT);
    }
    expect(minutesText(state)).toBe('壊れた更新でも落ちない');
    expect(mergeMinutesUpdate(state, new TextEncoder().encode('not yjs at all'))).toMatchObject({ ok: false });
  });
});
