// `{{msg.x}}` templates of the edit form: each placeholder is replaced by the
// message property at that path (objects as JSON, missing as empty text).
// `escape` makes each inserted value inert in the template's format (event data
// never becomes markup unless the template author allows it).
import get from 'lodash/get';
import { assertNesting } from '../util/nesting';

const PLACEHOLDER = /\{\{\s*msg\.([A-Za-z0-9_$.[\]'"-]+)\s*\}\}/g;

export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

export function renderTemplate(template: string, msg: Record<string, unknown>, escape: (value: string) => string = (v) => v): string {
  return template.replace(PLACEHOLDER, (_m, path: string) => escape(placeholderText(get(msg, path), `msg.${path}`)));
}

function placeholderText(value: unknown, field: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'object') {
    assertNesting(value, field);
    return JSON.stringify(value);
  }
  return String(value);
}
