// The package's `main`: secflow's library without Node-RED. Each area is a
// namespace (their names overlap: several have a `parse` or a `Client`), e.g.
//   const { cef, syslog } = require('node-red-contrib-secflow');
export * as auditd from './auditd';
export * as carbonblack from './carbonblack';
export * as cef from './cef';
export * as cluster from './cluster';
export * as code42 from './code42';
export * as cursor from './cursor';
export * as http from './http';
export * as ioc from './ioc';
export * as linux from './linux';
export * as metrics from './metrics';
export * as mozdef from './mozdef';
export * as notify from './notify';
export * as proctree from './proctree';
export * as syslog from './syslog';
