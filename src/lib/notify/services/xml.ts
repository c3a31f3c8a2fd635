// xml:// and xmls:// (U): a SOAP envelope with Notification/Version 1.1,
// Subject, MessageType and Message, HTML-escaped.
import { escapeXml } from '../format';
import type { ServiceDef, HttpSpec } from '../types';
import { applyFields, parseWebhook, webhookSpec, type WebhookConfig } from './webhook-common';

export const xml: ServiceDef<WebhookConfig, HttpSpec> = {
  name: 'xml',
  schemes: ['xml', 'xmls'],
  parse: (url) => parseWebhook('xml', url),
  nativeFormat: (_c, input) => input,
  limits: () => ({ body: 32768, title: 250 }),
  rate: { capacity: 2, perMs: 1000 },
  build(config, part, ctx) {
    const fields = applyFields({ Version: '1.1', Subject: part.title, MessageType: part.type, Message: part.body }, config.fields);
    const inner = Object.entries(fields).map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`).join('');
    const body = '<?xml version="1.0" encoding="utf-8"?>'
      + '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
      + `<soapenv:Body><Notification xmlns:xsi="http://nuxref.com/apprise/NotifyXML-1.1.xsd">${inner}</Notification></soapenv:Body></soapenv:Envelope>`;
    return [webhookSpec(config, ctx, 'application/xml', body)];
  },
  transport: 'http',
};
