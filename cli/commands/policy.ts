/**
 * `atlas-ops policy check FILE`: reads an operation policy (shared/policy) as the webhook intake and the
 * stack read it, and says what it allows, one rule a line; a bad field is named (exit 2), as the synth and the
 * cold start would name it. `atlas-ops start --policy FILE` runs the local stack with it.
 */
import { OPERATION_TYPES } from '../../shared/operations/registry.ts';
import { approvalsFor, PolicyError, type PolicyRule, parsePolicy } from '../../shared/policy/policy.ts';
import { type Command, parseCommandArgs, UsageError } from '../command.ts';
import { InputProblems, parseJsonInput, problemLines, readInput, refuseInput } from '../input.ts';

const USAGE = `Usage: atlas-ops policy check FILE

Reads the operation policy in FILE (or - for standard input) as the webhook intake reads it: who may ask for
which operation types or risk classes, on which projects and organizations, from which sources, with how many
distinct approvers (docs/webhooks.md). Prints one line per rule, in the order they decide; a request no rule
allows is refused. A bad field is named, as the deploy and the cold start would name it.

Options:
  -h, --help  show this help

Exit codes: 0 the policy can be used; 2 it cannot (each bad field named), or bad usage.`;

export const policyCommand: Command = {
  async run(args) {
    const parsed = parseCommandArgs(args, USAGE, {}, { positionals: true });
    if (!parsed) return 0;
    const [verb, file, extra] = parsed.positionals;
    if (verb !== 'check') throw new UsageError(`expected "check FILE"\n${USAGE}`);
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"\n${USAGE}`);
    const text = await readInput(file, USAGE);
    const source = file ?? '-';
    const refused = 'the policy cannot be used; nothing was checked further';
    try {
      const policy = parsePolicy(parseJsonInput(text, source), new Set(OPERATION_TYPES.keys()), source);
      const lines = policy.rules.map((rule, index) => `${index + 1}. ${ruleLine(rule)}`);
      process.stdout.write(
        `${source}: ${policy.rules.length} rule${policy.rules.length === 1 ? '' : 's'}; a request none allows is refused\n` +
          (lines.length ? `${lines.join('\n')}\n` : ''),
      );
      return 0;
    } catch (error) {
      if (error instanceof InputProblems) return refuseInput('policy', error, refused);
      if (error instanceof PolicyError) {
        return refuseInput('policy', new InputProblems(problemLines(source, [...error.problems])), refused);
      }
      throw error;
    }
  },
};

/** `"removals": destructive on 3 projects and 1 organization, from any source, 2 approvers`. */
function ruleLine(rule: PolicyRule): string {
  const what = [...(rule.types ?? []), ...(rule.risks ?? [])].join(', ');
  const where = [
    rule.projects === '*' ? 'any project' : rule.projects ? `${count(rule.projects.length, 'project')}` : '',
    rule.orgs === '*' ? 'any organization' : rule.orgs ? `${count(rule.orgs.length, 'organization')}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const from = rule.sources === '*' ? 'any source' : rule.sources.join(', ');
  const scope = rule.scope ? ` (${rule.scope.join(', ')})` : '';
  const approvals = [...new Set((rule.risks ?? ['additive']).map((risk) => approvalsFor(rule, risk)))].join(
    ' or ',
  );
  const wide = rule.allowWideNetworks ? '; wide networks allowed' : '';
  return `"${rule.name}": ${what} on ${where}, from ${from}${scope}, ${approvals} approver${approvals === '1' ? '' : 's'}${wide}`;
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
