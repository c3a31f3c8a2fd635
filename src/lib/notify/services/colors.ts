// Apprise type colours (R1), used by Discord embeds and Slack attachments.
import type { NotifyType } from '../types';

export const TYPE_COLORS: Record<NotifyType, { hex: string; int: number }> = {
  info: { hex: '#3AA3E3', int: 0x3aa3e3 },
  success: { hex: '#3AA337', int: 0x3aa337 },
  warning: { hex: '#CACF29', int: 0xcacf29 },
  failure: { hex: '#A32037', int: 0xa32037 },
};
