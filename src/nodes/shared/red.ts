// The slice of Node-RED's runtime API that secflow's nodes use. Declared here,
// at the boundary, instead of depending on community type packages.

export interface NodeMessage {
  _msgid?: string;
  payload?: unknown;
  topic?: string;
  [key: string]: unknown;
}

export type SendFn = (msg: NodeMessage | null | Array<NodeMessage | NodeMessage[] | null>) => void;
export type DoneFn = (err?: Error) => void;

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export interface ContextScopeApi {
  get(key: string, store: string | undefined, callback: (err: Error | null | undefined, value?: unknown) => void): void;
  set(key: string, value: unknown, store: string | undefined, callback: (err?: Error | null) => void): void;
}

export interface NodeContextApi extends ContextScopeApi {
  flow: ContextScopeApi;
  global: ContextScopeApi;
}

export interface NodeDef {
  id: string;
  type: string;
  name?: string;
  z?: string;
  [key: string]: unknown;
}

export interface Node<TCreds = Record<string, string | undefined>> {
  id: string;
  type: string;
  name?: string;
  z?: string;
  credentials: TCreds;
  on(event: 'input', handler: (msg: NodeMessage, send: SendFn, done: DoneFn) => void): void;
  on(event: 'close', handler: (removed: boolean, done: () => void) => void): void;
  send(msg: NodeMessage | null | Array<NodeMessage | NodeMessage[] | null>): void;
  status(status: NodeStatus | Record<string, never>): void;
  error(err: unknown, msg?: NodeMessage): void;
  warn(message: unknown): void;
  log(message: unknown): void;
  debug(message: unknown): void;
  context(): NodeContextApi;
  receive(msg?: NodeMessage): void;
}

export interface NodeAPI {
  nodes: {
    createNode(node: object, config: NodeDef): void;
    registerType(type: string, constructor: (this: Node, config: NodeDef) => void, opts?: { credentials?: Record<string, { type: 'text' | 'password' }>; settings?: Record<string, unknown> }): void;
    getNode(id: string): unknown;
  };
  settings: Record<string, unknown> & { userDir?: string };
  util: {
    cloneMessage<T>(msg: T): T;
    /**
     * Evaluates a typed-input value (msg, flow, global, env, json, jsonata, num, str…)
     * against a message; synchronously, or through the callback (needed for
     * asynchronous context stores and JSONata).
     */
    evaluateNodeProperty(value: unknown, type: string, node: Node, msg: NodeMessage): unknown;
    evaluateNodeProperty(value: unknown, type: string, node: Node, msg: NodeMessage, callback: (err: Error | null, result?: unknown) => void): void;
  };
  log: { info(m: unknown): void; warn(m: unknown): void; error(m: unknown): void };
  /** The runtime's message hooks (absent in node-red-node-test-helper unless the harness adds them). */
  hooks?: {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    add(hookId: string, callback: (event: any) => void): void;
    remove(hookId: string): void;
  };
}
