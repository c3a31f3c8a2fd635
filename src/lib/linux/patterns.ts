// The regexes of msticpy's Sentinel syslog queries (kql_sent_lxsyslog_logon.yaml
// and kql_sent_lxsyslog_activity.yaml), ported to JS. Each `source` equals the
// YAML text after kqlRegexToJs() (a unit test checks that), so the YAML stays
// the source of truth. KQL's extract/matches are case-sensitive: no `i` flag.

export const LOGON = {
  userPublickey: /(for )([A-Za-z0-9]+)/,
  user: /(user |user=)([A-Za-z0-9]+)/,
  logonType: /Accepted\s+([^\s]+)/,
  sourceIp: /((?:[0-9]{1,3}\.){3}[0-9]{1,3})/,
  sourcePort: /port ([0-9]+)/,
  uid: /uid=([0-9]+)/,
  sourceUser: /(by |ruser=)([a-z_][a-z0-9_]*)/,
  /** [QUIRK] `[preauth]` is a character class upstream (compat). */
  connectionClosedCompat: /^Connection closed .* [preauth]/,
  /** What the query means: the literal `[preauth]` suffix (default). */
  connectionClosed: /^Connection closed .* \[preauth\]/,
} as const;

export const SUDO = {
  sudoer: /(by |user=)([A-Za-z0-9]+)/,
  /** [QUIRK] the class admits `,` (compat). */
  sudoToCompat: /for user ([A-Z,a-z,0-9]+)/,
  sudoTo: /for user ([A-Za-z0-9]+)/,
  command: /(COMMAND=|\(command continued\))(.*)$/,
  commandCall: /COMMAND=([!-~]*)/,
} as const;

export const CRON = {
  cmd: /CMD(.*)/,
  user: /for user ([A-Za-z]*)/,
  cronUser: /^[(]([A-Za-z]*)/,
  editStatus: /[A-Z]+ EDIT/,
} as const;

export const ACCOUNT = {
  user: /(user: name=|user ')([A-Za-z0-9]+)/,
  group: /(group: name=|group ')([A-Za-z0-9]+)/,
  uid: /UID=([0-9]+)/,
  gid: /GID=([0-9]+)/,
  removed: /(removed group|removed$)/,
} as const;

/** Session boundaries, as cluster_syslog_logons_df searches them (case-sensitive). */
export const SESSION = {
  opened: /pam_unix.+session opened/,
  closed: /pam_unix.+session closed/,
  /** The target user of a PAM session line; stops at `(` so `alice(uid=1000)` gives `alice`. */
  targetUser: /for user ([^\s(]+)/,
} as const;

/** Case-insensitive `contains` needles of the logon query, lower-cased once. */
export const LOGON_FAILURE_WORDS = ['failure', 'invalid', 'unable to negotiate', 'authentication failures', 'did not receive identification', ' bad protocol version identification'];
