// Turns a notification into the parts a service sends (S5): convert the body to
// the service's native format (or the URL's format=), cut the title to the
// service limit, and split or truncate the body per `overflow`.
import { convert } from './format';
import { splitBody } from './split';
import type { Target } from './target';
import type { Notification, Part } from './types';

export function prepareParts(target: Target, n: Notification): Part[] {
  const native = target.common.format ?? target.def.nativeFormat(target.config, n.format);
  const body = convert(n.body, n.format, native);
  const limits = target.def.limits(target.config, native);
  const title = n.title.length > limits.title ? n.title.slice(0, limits.title) : n.title;
  // Title folded into part 1 ("title\r\n" or "<b>title</b>\r\n") takes room there.
  const firstLimit = limits.titleInBody && title ? Math.max(1, limits.body - title.length - 16) : limits.body;
  const pieces = splitBody(body, limits.body, target.common.overflow, firstLimit);
  return pieces.map((piece, i) => ({
    title: i === 0 ? title : '', body: piece, type: n.type, format: native, inputFormat: n.format,
    ...(n.markup ? { markup: true } : {}),
    ...(i === 0 && n.attachments?.length ? { attachments: n.attachments } : {}),
  }));
}
