// A notification URL resolved to its service and parsed options (S2).
import { maskUnknownUrl } from './mask';
import { commonOptions } from './options';
import { SERVICES } from './services';
import { NotifyUrlError, parseUrl, type ParsedUrl } from './url';
import { normalizeTags } from './tags';
import type { CommonOptions, ServiceDef } from './types';

export interface Target {
  /** The service module's name: discord, email, slack, … */
  service: string;
  /** The URL in privacy form: safe for logs, status and msg.notify. */
  masked: string;
  tags: string[];
  common: CommonOptions;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  def: ServiceDef<any, any>;
  config: unknown;
  secrets: string[];
  warnings: string[];
}

const BY_SCHEME = new Map<string, ServiceDef>();
for (const s of SERVICES) for (const scheme of s.schemes) BY_SCHEME.set(scheme, s);

function serviceFor(url: ParsedUrl): ServiceDef | undefined {
  if (url.scheme === 'https' || url.scheme === 'http') return SERVICES.find((s) => s.matchesNative?.(url));
  return BY_SCHEME.get(url.scheme);
}

/** Drops empty values in place: a service may keep the array and add secrets it learns later (a session token). */
function keepTruthy(list: string[]): string[] {
  for (let i = list.length - 1; i >= 0; i--) if (!list[i]) list.splice(i, 1);
  return list;
}

/** Parses one URL; throws NotifyUrlError whose message holds only the masked URL. */
export function parseTarget(raw: string, tags: readonly string[] = []): Target {
  let url: ParsedUrl;
  try {
    url = parseUrl(raw);
  } catch (err) {
    throw new NotifyUrlError(`${maskUnknownUrl(raw)}: ${(err as Error).message}`);
  }
  const def = serviceFor(url);
  if (!def) {
    const what = url.scheme === 'https' || url.scheme === 'http' ? 'unsupported URL' : `unsupported scheme ${url.scheme}://`;
    throw new NotifyUrlError(`${maskUnknownUrl(raw)}: ${what}`);
  }
  try {
    const { warnings: optionWarnings, ...common } = commonOptions(url);
    const parsed = def.parse(url);
    const warnings = [...(parsed.warnings ?? []), ...optionWarnings.map((w) => `${parsed.masked}: ${w}`)];
    if (!common.verify) {
      warnings.push(def.transport === 'discord'
        ? `${parsed.masked}: verify=no is ignored for Discord (TLS is always verified)`
        : `${parsed.masked}: verify=no turns TLS certificate verification off for this target`);
    }
    return {
      service: def.name, masked: parsed.masked, tags: normalizeTags(tags), common, def,
      config: parsed.config, secrets: keepTruthy(parsed.secrets), warnings,
    };
  } catch (err) {
    const message = (err as Error).message;
    // Service errors start with their own masked URL; others get the conservative mask.
    throw new NotifyUrlError(/^[a-z+]+:\/\//.test(message) || message.startsWith('msteams://') ? message : `${maskUnknownUrl(raw)}: ${message}`);
  }
}
