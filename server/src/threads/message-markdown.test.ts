import { describe, expect, it } from 'vitest';
import { mentionedIds, renderMessageBody } from './message-markdown.js';

/**
 * Nothing in rendered HTML can run: every real tag (text shows `&lt;`, not `<`) is in the subset,
 * with only the allowed attributes, and every link is http, https or mailto.
 */
function expectHarmless(html: string): void {
  const allowed: Record<string, string[]> = { p: [], br: [], em: [], strong: [], ul: [], ol: ['start'], li: [], blockquote: [], code: [], pre: [], a: ['href', 'rel', 'target'], span: ['class', 'data-account-id'] };
  for (const [, name, attrs] of html.matchAll(/<\/?([a-zA-Z0-9-]+)([^>]*)>/g)) {
    expect(Object.keys(allowed)).toContain(name!.toLowerCase());
    for (const [, attr] of attrs!.matchAll(/\s([^\s="\/]+)(?:="[^"]*")?/g)) expect(allowed[name!.toLowerCase()]).toContain(attr!.toLowerCase());
    for (const [, href] of attrs!.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^(https?:|mailto:)/);
  }
}

describe('renderMessageBody: the safe Markdown subset', () => {
  it('renders paragraphs, line breaks, emphasis, strong, lists, quotes, inline code and code blocks', () => {
    const html = renderMessageBody('一行目\n二行目\n\n*強調* と **重要**\n\n- 項目A\n- 項目B\n\n1. 一\n2. 二\n\n> 引用\n\n`code`\n\n```\nconst a = 1;\n```');
    expect(html).toContain('<p>一行目<br />\n二行目</p>');
    expect(html).toContain('<em>強調</em>');
    expect(html).toContain('<strong>重要</strong>');
    expect(html).toContain('<ul>\n<li>項目A</li>');
    expect(html).toContain('<ol>\n<li>一</li>');
    expect(html).toContain('<blockquote>\n<p>引用</p>\n</blockquote>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<pre><code>const a = 1;\n</code></pre>');
  });

  it('headings, images and tables are not in the subset: they stay text', () => {
    const html = renderMessageBody('# 見出し\n\n![画像](https://example.com/a.png)');
    expect(html).not.toContain('<h1');
    expect(html).not.toContain('<img');
    expect(html).toContain('# 見出し');
  });

  it('http, https and mailto links open in a new tab with rel noopener noreferrer nofollow', () => {
    const html = renderMessageBody('[区のサイト](https://www.city.itabashi.tokyo.jp/) と [メール](mailto:desk@example.jp) と <https://example.com>');
    expect(html).toContain('<a href="https://www.city.itabashi.tokyo.jp/" rel="noopener noreferrer nofollow" target="_blank">区のサイト</a>');
    expect(html).toContain('<a href="mailto:desk@example.jp" rel="noopener noreferrer nofollow" target="_blank">メール</a>');
    expect(html).toContain('href="https://example.com"');
  });

  const payloads: Array<[string, string]> = [
    ['script tag', '<script>alert(1)</script>'],
    ['img onerror', '<img src=x onerror=alert(1)>'],
    ['svg onload', '<svg onload=alert(1)><circle r=1 /></svg>'],
    ['iframe', '<iframe src="javascript:alert(1)"></iframe>'],
    ['markdown javascript: link', '[click](javascript:alert(1))'],
    ['markdown javascript: link with entities', '[click](jav&#x61;script:alert(1))'],
    ['markdown javascript: link with tab', '[click](java\tscript:alert(1))'],
    ['markdown data: link', '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['markdown vbscript: link', '[click](vbscript:msgbox(1))'],
    ['autolink javascript:', '<javascript:alert(1)>'],
    ['markdown image with onerror', '![x](x" onerror="alert(1))'],
    ['html entities', '&lt;script&gt;alert(1)&lt;/script&gt; &#60;img src=x onerror=alert(1)&#62;'],
    ['a tag with javascript', '<a href="javascript:alert(1)">x</a>'],
    ['style tag', '<style>body{display:none}</style>'],
    ['link attribute breakout', '[x](https://example.com/"onmouseover="alert(1))'],
    ['mention name with html', '@[<img src=x onerror=alert(1)>](account:00000000-0000-4000-8000-000000000001)'],
    ['uppercase script', '<SCRIPT SRC=//x.example/x.js></SCRIPT>'],
    ['math/svg mxss', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
  ];
  for (const [name, payload] of payloads) {
    it(`renders ${name} harmless`, () => {
      const html = renderMessageBody(payload);
      expectHarmless(html);
    });
  }

  it('raw HTML is shown as text, not dropped silently', () => {
    expect(renderMessageBody('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('a javascript: markdown link stays text, with no href', () => {
    const html = renderMessageBody('[click](javascript:alert(1))');
    expect(html).not.toContain('<a');
    expect(html).toContain('[click](javascript:alert(1))');
  });
});

describe('mentions', () => {
  const ID = '6f1c2b1e-8a4d-4c7e-9b3a-2d5e6f7a8b9c';
  it('are parsed from the body, each once, lower-cased', () => {
    expect(mentionedIds(`@[山田](account:${ID.toUpperCase()}) さん、@[山田](account:${ID}) さん`)).toEqual([ID]);
    expect(mentionedIds('@山田 さん (no picker)')).toEqual([]);
  });

  it('render with the account’s current name, not the name typed', () => {
    const html = renderMessageBody(`@[区長](account:${ID}) 確認ください`, new Map([[ID, '山田 太郎']]));
    expect(html).toBe(`<p><span class="mention" data-account-id="${ID}">@山田 太郎</span> 確認ください</p>`);
  });

  it('an unknown mention renders as plain text', () => {
    expect(renderMessageBody(`@[誰か](account:${ID})`)).toBe('<p>@[誰か]</p>'.replace('@[誰か]', '@誰か'));
  });

  it('typed placeholder characters cannot forge a mention', () => {
    const html = renderMessageBody(`\uE0000\uE001 @[x](account:${ID})`, new Map([[ID, 'X']]));
    expect(html.match(/class="mention"/g)?.length).toBe(1);
  });

  it('a display name with HTML is escaped', () => {
    const html = renderMessageBody(`@[a](account:${ID})`, new Map([[ID, '<img src=x onerror=alert(1)>']]));
    expectHarmless(html);
    expect(html).toContain('@&lt;img src=x onerror=alert(1)&gt;');
  });
});
