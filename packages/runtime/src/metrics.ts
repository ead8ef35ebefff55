// A Prometheus registry per process with Node's default metrics, labelled by component.
import { collectDefaultMetrics, Registry } from 'prom-client';

export function createMetricsRegistry(component: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ component });
  collectDefaultMetrics({ register: registry });
  return registry;
}
