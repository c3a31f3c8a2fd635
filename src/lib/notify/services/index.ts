// The service registry: adding a service means adding its module and one line here.
import type { ServiceDef } from '../types';
import { discord } from './discord';
import { email } from './email';
import { json } from './json';
import { form } from './form';
import { xml } from './xml';
import { generic } from './generic';
import { slack } from './slack';
import { telegram } from './telegram';
import { ntfy } from './ntfy';
import { gotify } from './gotify';
import { pushover } from './pushover';
import { workflows } from './workflows';
import { msteams } from './msteams';
import { zulip } from './zulip';
import { sns } from './sns';
import { matrix } from './matrix';
import { mattermost } from './mattermost';
import { googlechat } from './googlechat';
import { webex } from './webex';
import { rocketchat } from './rocketchat';
import { pagerduty } from './pagerduty';
import { opsgenie } from './opsgenie';
import { apprise } from './apprise';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const SERVICES: ReadonlyArray<ServiceDef<any, any>> = [discord, email, json, form, xml, generic, slack, telegram, ntfy, gotify, pushover, workflows, msteams,
  mattermost, matrix, zulip, googlechat, webex, rocketchat, pagerduty, opsgenie, apprise, sns];
