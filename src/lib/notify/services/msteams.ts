// msteams:// (Office 365 connectors) was retired by Microsoft: the URL is
// rejected with a pointer to workflows:// instead of failing at send time.
import { NotifyUrlError } from '../url';
import type { ServiceDef } from '../types';

export const RETIRED_MESSAGE = 'msteams:// is retired (Office 365 connectors no longer work); use workflows://HOST/FLOW_ID/SIGNATURE';

export const msteams: ServiceDef<Record<string, never>, never> = {
  name: 'msteams',
  schemes: ['msteams'],
  matchesNative: (url) => /\.webhook\.office\.com$/i.test(url.host),
  parse() {
    throw new NotifyUrlError(RETIRED_MESSAGE);
  },
  nativeFormat: () => 'markdown',
  limits: () => ({ body: 1000, title: 250 }),
  rate: null,
  build: () => [],
  transport: 'http',
};
