// Body conversion between text, markdown and html (R1/S5). Only from the input
// format to the service's native one; text↔markdown is left unchanged. No
// markdown library is installed, so markdown→html covers the subset alerts use:
// headings, emphasis, code spans/blocks, links, lists, quotes and paragraphs.
import type { NotifyFormat } from './types';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeXml(text: string): string {
  return escapeHtml(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Link schemes event data may carry into a notification: anything else (javascript:, data:, vbscript:, file:) is dropped. */
const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

/** True for an http(s) or mailto URL, after entities and the whitespace/control characters browsers ignore are removed. */
export function isSafeLink(href: string): boolean {
  // eslint-disable-next-line no-control-regex
  return SAFE_LINK.test(decodeEntities(href).replace(/[\u0000-\u0020\u007f]+/g, ''));
}

const LINK_ATTRIBUTE = /(\s)(href|src|action|formaction|xlink:href|background)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;

/** Removes every link-carrying attribute of an html body's tags whose URL is not http(s) or mailto. */
export function sanitizeLinks(html: string): string {
  return html.replace(/<[a-z][^<>]*>/gi, (tag) => tag.replace(LINK_ATTRIBUTE, (whole, _space: string, _name: string, value: string) => {
    const url = /^["']/.test(value) ? value.slice(1, -1) : value;
    return isSafeLink(url) ? whole : '';
  }));
}

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

export function textToHtml(text: string): string {
  return escapeHtml(text).replace(/\r?\n/g, '<br/>');
}

function inlineMarkdown(line: string): string {
  const codes: string[] = [];
  let out = line.replace(/`([^`]+)`/g, (_m, code: string) => {
    codes.push(`<code>${escapeHtml(code)}</code>`);
    return `\uE000${codes.length - 1}\uE001`;
  });
  out = escapeHtml(out)
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, label: string, href: string) => (isSafeLink(href) ? `<a href="${href.replace(/"/g, '&quot;')}">${label}</a>` : label))
    .replace(/\*\*([^*]+)\*\*|__([^_]+)__/g, (_m, a?: string, b?: string) => `<b>${a ?? b}</b>`)
    .replace(/(^|[^*\w])\*([^*\s][^*]*)\*(?!\w)|(^|[^_\w])_([^_\s][^_]*)_(?!\w)/g, (_m, p1?: string, a?: string, p2?: string, b?: string) => `${p1 ?? p2 ?? ''}<i>${a ?? b}</i>`)
    .replace(/~~([^~]+)~~/g, '<s>$1</s>');
  return out.replace(/\uE000(\d+)\uE001/g, (_m, i: string) => codes[Number(i)]);
}

export function markdownToHtml(markdown: string): string {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  let list: 'ul' | 'ol' | undefined;
  let paragraph: string[] = [];
  const flushParagraph = () => {
    if (paragraph.length) out.push(`<p>${paragraph.join('<br/>')}</p>`);
    paragraph = [];
  };
  const closeList = () => {
    if (list) out.push(`</${list}>`);
    list = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^```/.test(line)) {
      flushParagraph();
      closeList();
      const code: string[] = [];
      for (i++; i < lines.length && !/^```/.test(lines[i]); i++) code.push(lines[i]);
      out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    const quote = /^>\s?(.*)$/.exec(line);
    if (heading) {
      flushParagraph();
      closeList();
      out.push(`<h${heading[1].length}>${inlineMarkdown(heading[2])}</h${heading[1].length}>`);
    } else if (bullet || numbered) {
      flushParagraph();
      const kind = bullet ? 'ul' : 'ol';
      if (list !== kind) {
        closeList();
        out.push(`<${kind}>`);
        list = kind;
      }
      out.push(`<li>${inlineMarkdown((bullet ?? numbered)![1])}</li>`);
    } else if (quote) {
      flushParagraph();
      closeList();
      out.push(`<blockquote>${inlineMarkdown(quote[1])}</blockquote>`);
    } else if (line.trim() === '') {
      flushParagraph();
      closeList();
    } else {
      closeList();
      paragraph.push(inlineMarkdown(line));
    }
  }
  flushParagraph();
  closeList();
  return out.join('\n');
}

export function htmlToText(html: string): string {
  const text = html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li[^>]*>/gi, '- ')
    .replace(/<\/(p|div|h[1-6]|li|tr|blockquote|pre|ul|ol)>/gi, '\n')
    .replace(/<[^>]*>/g, '');
  return decodeEntities(text).replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

export function htmlToMarkdown(html: string): string {
  const md = html
    .replace(/<(b|strong)>([\s\S]*?)<\/\1>/gi, '**$2**')
    .replace(/<(i|em)>([\s\S]*?)<\/\1>/gi, '_$2_')
    .replace(/<code>([\s\S]*?)<\/code>/gi, '`$1`')
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, '[$2]($1)')
    .replace(/<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/gi, (_m, n: string, t: string) => `${'#'.repeat(Number(n))} ${t}\n`);
  return htmlToText(md);
}

/** Converts `body` from `from` to `to` (text↔markdown unchanged). */
export function convert(body: string, from: NotifyFormat, to: NotifyFormat): string {
  if (from === to) return body;
  if (to === 'html') return from === 'markdown' ? markdownToHtml(body) : textToHtml(body);
  if (from === 'html') return to === 'markdown' ? htmlToMarkdown(body) : htmlToText(body);
  return body;
}

const TELEGRAM_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'blockquote']);

/** Telegram's HTML subset: unsupported tags become line breaks or disappear. */
export function toTelegramHtml(body: string, from: NotifyFormat): string {
  if (from === 'text' || from === 'markdown' && !/[*_`#[>~]/.test(body)) return escapeHtml(body);
  const html = from === 'markdown' ? markdownToHtml(body) : sanitizeLinks(body);
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li[^>]*>/gi, '• ')
    .replace(/<h[1-6][^>]*>/gi, '<b>')
    .replace(/<\/h[1-6]>/gi, '</b>\n')
    .replace(/<\/(p|li|div|ul|ol|tr)>/gi, '\n')
    .replace(/<\/?([a-z0-9]+)(\s[^>]*)?>/gi, (tag, name: string) => (TELEGRAM_TAGS.has(name.toLowerCase()) ? tag : ''))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
