import fs from 'node:fs';
import { ClusterMember, connectRedis, type RedisConnection } from '../lib/cluster';
import { bool, num, str } from './shared/config';
import { onClose } from './shared/input';
import type { Node, NodeAPI, NodeDef } from './shared/red';

interface Credentials {
  username?: string;
  password?: string;
  [key: string]: string | undefined;
}

/** What an extractor with `cluster` set needs from its `secflow-redis` config node. */
export interface RedisClusterNode {
  /** This instance's cluster member (one per config node; connects on first use); throws an error naming the field. */
  member(): ClusterMember;
  connection(): RedisConnection;
  prefix: string;
  leaseTtlMs: number;
  /** Listens to Redis going away (up = false, once per outage) and coming back; returns the unsubscribe. */
  onOnline(listener: (up: boolean, error?: Error) => void): () => void;
}

export function isRedisCluster(node: unknown): node is RedisClusterNode {
  return !!node && typeof (node as RedisClusterNode).member === 'function';
}

/**
 * Config node for a Redis that several Node-RED instances share: extractors whose
 * `cluster` names it keep their cursors there, under leases with fencing. One
 * client and one cluster member per config node, shared by every node that uses it.
 */
export default function (RED: NodeAPI) {
  RED.nodes.registerType('secflow-redis', function (this: Node<Credentials>, config: NodeDef) {
    RED.nodes.createNode(this, config);
    const node = this as Node<Credentials> & RedisClusterNode;
    let connection: RedisConnection | undefined;
    let member: ClusterMember | undefined;
    const listeners = new Set<(up: boolean, error?: Error) => void>();
    node.prefix = str(config.prefix) || 'secflow:';
    node.leaseTtlMs = 30_000;
    let settingsError: Error | undefined;
    try {
      node.leaseTtlMs = num(config.leaseTtl, 30, 'leaseTtl', { min: 1, max: 3600 }) * 1000;
    } catch (err) {
      settingsError = err as Error;
    }

    node.connection = () => {
      if (settingsError) throw settingsError;
      if (connection) return connection;
      const caPath = str(config.ca);
      let ca: Buffer | undefined;
      if (caPath) {
        try {
          ca = fs.readFileSync(caPath);
        } catch (err) {
          throw new Error(`ca: cannot read the CA file ${JSON.stringify(caPath)}: ${(err as Error).message}`, { cause: err });
        }
      }
      connection = connectRedis({
        url: str(config.url) || 'redis://127.0.0.1:6379',
        username: node.credentials?.username,
        password: node.credentials?.password,
        verifyTls: bool(config.verifyTls, true),
        ca,
      });
      return connection;
    };

    node.member = () => {
      if (member) return member;
      member = new ClusterMember(node.connection(), {
        prefix: node.prefix,
        leaseTtlMs: node.leaseTtlMs,
        online: (up, error) => {
          for (const listener of listeners) listener(up, error);
        },
      });
      return member;
    };

    node.onOnline = (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    };

    onClose(node, async () => {
      const m = member;
      const c = connection;
      member = undefined;
      connection = undefined;
      listeners.clear();
      await m?.stop();
      await c?.close();
    });
  }, {
    credentials: {
      username: { type: 'text' },
      password: { type: 'password' },
    },
  });
}
