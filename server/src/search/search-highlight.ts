/** A piece of a snippet: plain text, or text that matched a term. Never HTML: the client renders <mark>. */
export interface SnippetSegment {
  text: string;
  match: boolean;
}

export const SNIPPET_LENGTH = 120;
/** How much text precedes the first match, so the match reads in context. */
const LEAD = 30;

interface Normalised {
  /** The normalised text, one code point per entry. */
  chars: string[];
  /** For each normalised code point, the original code points [from, to) it came from. */
  from: number[];
  to: number[];
}

/**
 * NFKC and lower case per original character (with the marks that follow it: ｶﾞ normalises as
 * ガ), remembering where each normalised character came from, so a match found in normalised text
 * (abc for ＡＢＣ) is highlighted in the original.
 */
function normalise(original: string[]): Normalised {
  const out: Normalised = { chars: [], from: [], to: [] };
  let index = 0;
  while (index < original.length) {
    let end = index + 1;
    while (end < original.length && /^\p{M}/u.test(original[end]!.normalize('NFKC'))) end++;
    for (const char of original.slice(index, end).join('').normalize('NFKC').toLowerCase()) {
      out.chars.push(char);
      out.from.push(index);
      out.to.push(end);
    }
    index = end;
  }
  return out;
}

/** Every occurrence of every term, as [start, end) in original code points, merged where they overlap. */
function matchRanges(original: string[], terms: readonly string[]): Array<[number, number]> {
  const { chars, from, to } = normalise(original);
  const ranges: Array<[number, number]> = [];
  for (const term of terms) {
    const needle = [...term.normalize('NFKC').toLowerCase()];
    if (needle.length === 0) continue;
    for (let i = 0; i + needle.length <= chars.length; i++) {
      if (needle.every((char, k) => chars[i + k] === char)) ranges.push([from[i]!, to[i + needle.length - 1]!]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Array<[number, number]> = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

/** Line breaks and runs of spaces read as one space in a one-line snippet. */
function flatten(text: string): string {
  return text.replace(/\s+/gu, ' ');
}

/**
 * A snippet of at most about SNIPPET_LENGTH characters around the first match, as segments with
 * every match in it marked. Without a match (the recheck is SQL's, so rarely), the text's start.
 */
export function highlight(text: string, terms: readonly string[], length = SNIPPET_LENGTH): SnippetSegment[] {
  const original = [...text.trim()];
  if (original.length === 0) return [];
  const ranges = matchRanges(original, terms);
  const first = ranges[0];
  let start = first ? Math.max(0, first[0] - LEAD) : 0;
  const end = Math.min(original.length, start + length);
  // Near the end, show more of what precedes the match rather than a short snippet.
  start = Math.max(0, Math.min(start, end - length));

  const segments: SnippetSegment[] = [];
  const push = (from: number, to: number, match: boolean) => {
    if (to <= from) return;
    const piece = flatten(original.slice(from, to).join(''));
    const last = segments.at(-1);
    if (last && last.match === match) last.text += piece;
    else segments.push({ text: piece, match });
  };
  let at = start;
  for (const [from, to] of ranges) {
    if (to <= start || from >= end) continue;
    push(at, Math.max(at, from), false);
    push(Math.max(at, from), Math.min(to, end), true);
    at = Math.min(to, end);
  }
  push(at, end, false);
  if (start > 0) segments.unshift({ text: '…', match: false });
  if (end < original.length) segments.push({ text: '…', match: false });
  return mergeEllipses(segments);
}

function mergeEllipses(segments: SnippetSegment[]): SnippetSegment[] {
  const out: SnippetSegment[] = [];
  for (const segment of segments) {
    const last = out.at(-1);
    if (last && !last.match && !segment.match) last.text += segment.text;
    else out.push({ ...segment });
  }
  return out;
}
