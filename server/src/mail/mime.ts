/**
 * Just enough MIME to read the mail the local catcher receives (development only): headers with
 * RFC 2047 encoded words, and the first text/plain part, in base64, quoted-printable, 7bit or 8bit.
 * Strings here are "binary" (one char per byte) until decoded with their charset.
 */

export interface ParsedMail {
  subject: string;
  text: string;
  messageId: string | null;
}

function decodeBytes(binary: string | Buffer, charset = 'utf-8'): string {
  const bytes = typeof binary === 'string' ? Buffer.from(binary, 'latin1') : binary;
  try {
    return new TextDecoder(charset.toLowerCase()).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function decodeQuotedPrintable(binary: string, inHeader = false): Buffer {
  const text = (inHeader ? binary.replace(/_/g, ' ') : binary).replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(text.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** A header value: raw UTF-8 (SMTPUTF8) and =?charset?B|Q?…?= words, adjacent words joined. */
export function decodeHeaderValue(binary: string): string {
  const joined = binary.replace(/(\?=)\s+(=\?)/g, '$1$2');
  return decodeBytes(joined).replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, encoding: string, data: string) =>
    decodeBytes(encoding.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : decodeQuotedPrintable(data, true), charset),
  );
}

function splitHeaders(binary: string): { headers: Map<string, string>; body: string } {
  const match = /\r?\n\r?\n/.exec(binary);
  const head = match ? binary.slice(0, match.index) : binary;
  const body = match ? binary.slice(match.index + match[0].length) : '';
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function parameter(headerValue: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(headerValue);
  return match ? (match[1] ?? match[2]) : undefined;
}

function textOf(headers: Map<string, string>, body: string): string | null {
  const type = headers.get('content-type') ?? 'text/plain';
  if (/^multipart\//i.test(type)) {
    const boundary = parameter(type, 'boundary');
    if (!boundary) return null;
    const parts = body.split(`--${boundary}`).slice(1);
    for (const part of parts) {
      if (part.startsWith('--')) break;
      const parsed = splitHeaders(part.replace(/^\r?\n/, ''));
      const text = textOf(parsed.headers, parsed.body.replace(/\r?\n$/, ''));
      if (text !== null) return text;
    }
    return null;
  }
  if (!/^text\/plain/i.test(type)) return null;
  const charset = parameter(type, 'charset') ?? 'utf-8';
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const bytes = encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64') : encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : Buffer.from(body, 'latin1');
  return decodeBytes(bytes, charset).replace(/\r\n/g, '\n');
}

export function parseMail(raw: Buffer): ParsedMail {
  const { headers, body } = splitHeaders(raw.toString('latin1'));
  return {
    subject: decodeHeaderValue(headers.get('subject') ?? ''),
    text: textOf(headers, body) ?? '',
    messageId: headers.get('message-id') ?? null,
  };
}
