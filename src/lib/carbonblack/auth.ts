import type { AuthProvider } from '../http';

/**
 * Carbon Black Cloud API keys: `X-Auth-Token: <API secret>/<API id>`. There is
 * nothing to refresh, so a 401 after the one retry HttpClient makes is final.
 */
export function cbcAuth(apiId: string, apiSecret: string): AuthProvider {
  const headers = { 'X-Auth-Token': `${apiSecret}/${apiId}` };
  return {
    async headers() {
      return headers;
    },
    async refresh() {
      /* static API key: nothing to renew */
    },
  };
}
