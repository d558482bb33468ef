import type { Translate } from '../i18n/index.js';
import type { FlowInWords } from '../http/view-models/flow-in-words.js';

/**
 * A flow in plain words as lines for a terminal: the same words as the
 * Fluxos page (describeFlow), laid out as that page lays them out: what
 * starts the flow, who it is for, then each step with what it does, what it
 * says and where its answers lead.
 */
export function formatFlowInWords(flow: FlowInWords, t: Translate): string {
  const lines = [`${flow.name} (${flow.id} v${flow.version}, ${flow.file})`, `  ${t('page.flows.when')} ${flow.trigger}`];
  for (const line of flow.filter) lines.push(`  ${line}`);
  for (const [index, step] of flow.steps.entries()) {
    lines.push(`  ${index + 1}. ${step.kindName} (${step.id})`);
    const more = [...step.details, ...(step.preview === null ? [] : [`“${step.preview}”`])];
    for (const branch of step.branches) more.push(t('page.flows.branch', { outcome: branch.outcome, next: branch.target }));
    for (const line of more) lines.push(`     ${line}`);
  }
  return lines.join('\n');
}
