// `{{msg.x}}` templates of the edit form: each placeholder is replaced by the
// message property at that path (objects as JSON, missing as empty text).
import get from 'lodash/get';

const PLACEHOLDER = /\{\{\s*msg\.([A-Za-z0-9_$.[\]'"-]+)\s*\}\}/g;

export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

export function renderTemplate(template: string, msg: Record<string, unknown>): string {
  return template.replace(PLACEHOLDER, (_m, path: string) => {
    const value: unknown = get(msg, path);
    if (value === undefined || value === null) return '';
    if (typeof value === 'string') return value;
    if (Buffer.isBuffer(value)) return value.toString('utf8');
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  });
}
