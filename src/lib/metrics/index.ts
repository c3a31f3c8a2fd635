export { allMetrics, HISTORY_MINUTES, NodeMetrics, register, unregister, type NodeRole } from './registry';
export { CONTENT_TYPE, escapeHelp, escapeLabelValue, exposition, families, formatFamilies, formatValue, type Family, type MetricType, type Sample } from './exposition';
export { snapshot, type NodeSnapshot } from './snapshot';
