import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * Messages are written in a small, safe Markdown subset and rendered here, on the server, into
 * the only HTML that ever reaches a browser. Two walls: markdown-it with raw HTML off and only the
 * rules we want, then sanitize-html with an allowlist in case either ever lets something through.
 */

/** `@[display name](account:<uuid>)`: how the client's picker writes a mention into the body. */
const MENTION = /@\[([^\]\n]{1,200})\]\(account:([0-9a-fA-F-]{36})\)/g;
/** Private-use characters that stand in for mentions while markdown-it runs; typed ones are dropped. */
const OPEN = '\uE000';
const CLOSE = '\uE001';

/** The account ids mentioned in a body, lower-cased, each once, in order. */
export function mentionedIds(body: string): string[] {
  const ids: string[] = [];
  for (const match of body.matchAll(MENTION)) {
    const id = match[2]!.toLowerCase();
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

const SAFE_SCHEMES = /^(https?:|mailto:)/i;

const md = new MarkdownIt('zero', { html: false, breaks: true, linkify: false, typographer: false });
md.enable(['paragraph', 'newline', 'emphasis', 'list', 'blockquote', 'backticks', 'code', 'fence', 'link', 'autolink', 'escape', 'entity', 'text']);
// Only http, https and mailto links become links; anything else (javascript:, data:, vbscript:, relative) stays text.
md.validateLink = (url: string) => SAFE_SCHEMES.test(url.trim());
md.renderer.rules.link_open = (tokens, index, options, _env, self) => {
  const token = tokens[index]!;
  token.attrSet('rel', 'noopener noreferrer nofollow');
  token.attrSet('target', '_blank');
  return self.renderToken(tokens, index, options);
};

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'em', 'strong', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'a', 'span'],
  allowedAttributes: { a: ['href', 'rel', 'target'], ol: ['start'], span: ['class', 'data-account-id'] },
  allowedClasses: { span: ['mention'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' } }),
  },
};

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * Renders a message body to sanitised HTML. Mentions show the account's current display name from
 * `names` (not the name typed, which could pretend to be someone else).
 */
export function renderMessageBody(body: string, names: ReadonlyMap<string, string> = new Map()): string {
  const mentions: Array<{ id: string; typed: string }> = [];
  const source = body.replaceAll(OPEN, '').replaceAll(CLOSE, '').replace(MENTION, (_whole, typed: string, id: string) => {
    mentions.push({ id: id.toLowerCase(), typed });
    return `${OPEN}${mentions.length - 1}${CLOSE}`;
  });
  const rendered = md.render(source).replace(new RegExp(`${OPEN}(\\d+)${CLOSE}`, 'g'), (_whole, index: string) => {
    const mention = mentions[Number(index)]!;
    const name = names.get(mention.id);
    if (name === undefined) return escapeHtml(`@${mention.typed}`);
    return `<span class="mention" data-account-id="${escapeHtml(mention.id)}">@${escapeHtml(name)}</span>`;
  });
  return sanitizeHtml(rendered, ALLOWED).trim();
}
