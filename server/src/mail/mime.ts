/**
 * Just enough MIME for our mail. Sending: the parts of a message with a calendar invitation
 * (`mailParts`, composed by nodemailer). Reading, for the mail the local catcher receives
 * (development only): headers with RFC 2047 encoded words, the first text/plain part and the
 * first text/calendar part, in base64, quoted-printable, 7bit or 8bit. Strings here are
 * "binary" (one char per byte) until decoded with their charset.
 */

export interface ParsedMail {
  subject: string;
  text: string;
  /** The first text/calendar part (an invitation), as sent: CRLF line endings, folded. */
  calendar: string | null;
  messageId: string | null;
}

/** The METHOD of an iCalendar object (REQUEST, CANCEL, …), or null. */
export function calendarMethodOf(calendar: string): string | null {
  return /^METHOD:([A-Za-z-]+)\r?$/m.exec(calendar)?.[1]?.toUpperCase() ?? null;
}

/** What nodemailer needs to send a message's body. */
export interface MailParts {
  text: string;
  icalEvent?: { method: string; content: string; filename: string };
}

/**
 * The body of a message: its text, and, for an invitation, the calendar object. nodemailer then
 * writes multipart/mixed holding multipart/alternative (text/plain; charset=utf-8 and
 * text/calendar; charset=utf-8; method=<the object's METHOD>) and the same object as an
 * invite.ics attachment: what Outlook, Gmail and Apple Calendar each look for.
 */
export function mailParts(message: { textBody: string; calendar: string | null }): MailParts {
  if (!message.calendar) return { text: message.textBody };
  const method = calendarMethodOf(message.calendar) ?? 'PUBLISH';
  return { text: message.textBody, icalEvent: { method, content: message.calendar, filename: method === 'CANCEL' ? 'cancel.ics' : 'invite.ics' } };
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

/** The first part of the given type (text/plain, text/calendar), decoded; searched depth first. */
function partOf(headers: Map<string, string>, body: string, wanted: RegExp): string | null {
  const type = headers.get('content-type') ?? 'text/plain';
  if (/^multipart\//i.test(type)) {
    const boundary = parameter(type, 'boundary');
    if (!boundary) return null;
    const parts = body.split(`--${boundary}`).slice(1);
    for (const part of parts) {
      if (part.startsWith('--')) break;
      const parsed = splitHeaders(part.replace(/^\r?\n/, ''));
      const found = partOf(parsed.headers, parsed.body.replace(/\r?\n$/, ''), wanted);
      if (found !== null) return found;
    }
    return null;
  }
  if (!wanted.test(type)) return null;
  const charset = parameter(type, 'charset') ?? 'utf-8';
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const bytes = encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64') : encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : Buffer.from(body, 'latin1');
  return decodeBytes(bytes, charset);
}

export function parseMail(raw: Buffer): ParsedMail {
  const { headers, body } = splitHeaders(raw.toString('latin1'));
  return {
    subject: decodeHeaderValue(headers.get('subject') ?? ''),
    text: partOf(headers, body, /^text\/plain/i)?.replace(/\r\n/g, '\n') ?? '',
    calendar: partOf(headers, body, /^text\/calendar/i),
    messageId: headers.get('message-id') ?? null,
  };
}
