/**
 * What `npm start` shows while the local stack runs: one readable line per event a person cares about (a
 * delivery accepted, refused or ignored; an operation succeeded, failed, retried; a ticket told) and every
 * worker's full JSON log lines (Powertools) in a file, instead of raw JSON on the terminal.
 *
 * The workers log as they do in Lambda, through Powertools' Logger, which writes each record as one JSON line
 * to `process.stdout` or `process.stderr`. This module takes those lines off both streams for as long as the
 * stack runs; anything else written to them (the inventory summary, the sync's reports) passes through.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A Powertools log record, as far as the story reads it. */
type LogRecord = Record<string, unknown> & { level: string; message: string; timestamp?: string };

export interface LocalConsole {
  /** Where the JSON log lines go. */
  readonly logFile: string;
  /** Puts the streams back as they were. */
  restore(): void;
}

/** Takes the workers' JSON log lines off stdout and stderr into `logFile` (emptied first), telling the story. */
export function startLocalConsole(logFile: string): LocalConsole {
  mkdirSync(dirname(logFile), { recursive: true });
  writeFileSync(logFile, '');
  const stdout = process.stdout.write.bind(process.stdout);
  const stderr = process.stderr.write.bind(process.stderr);
  const intercept =
    (passThrough: typeof process.stdout.write): typeof process.stdout.write =>
    (chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const records = logRecordsIn(text);
      if (!records) return (passThrough as (...args: unknown[]) => boolean)(chunk, ...rest);
      appendFileSync(logFile, text);
      for (const record of records) {
        const line = storyLine(record);
        if (line) stdout(`${line}\n`);
      }
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    };
  process.stdout.write = intercept(stdout);
  process.stderr.write = intercept(stderr);
  return {
    logFile,
    restore() {
      process.stdout.write = stdout;
      process.stderr.write = stderr;
    },
  };
}

/** The records of a write that is nothing but Powertools log lines; undefined for anything else. */
function logRecordsIn(text: string): LogRecord[] | undefined {
  if (!text.startsWith('{') || !text.endsWith('\n')) return undefined;
  const records: LogRecord[] = [];
  for (const line of text.trimEnd().split('\n')) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return undefined;
    }
    if (!isLogRecord(value)) return undefined;
    records.push(value);
  }
  return records;
}

function isLogRecord(value: unknown): value is LogRecord {
  if (typeof value !== 'object' || value === null) return false;
  const { level, message } = value as Record<string, unknown>;
  return typeof level === 'string' && typeof message === 'string';
}

/**
 * The line a person reads for one log record, or undefined for a record that tells them nothing (routine
 * INFO). Warnings and errors nobody mapped still get a line: something needs a look.
 *
 * @example storyLine({ level: 'INFO', message: 'Operation succeeded', operationId: 'op-1', type: 'projectAccessList.add' })
 * // '10:00:00 operation  op-1 projectAccessList.add succeeded'
 */
export function storyLine(record: LogRecord): string | undefined {
  const text = (key: string) => {
    const value = record[key];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
  const people = () => {
    const asked = text('requestedBy');
    const approved = text('approvedBy');
    if (asked && approved) return ` (asked by ${asked}, approved by ${approved})`;
    return asked ? ` (asked by ${asked})` : '';
  };
  const words = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(' ');
  const what = words(text('operationId'), text('type'));
  const story = (area: string, line: string) => `${clock(record.timestamp)} ${area.padEnd(10)} ${line}`;
  switch (record.message) {
    case 'Webhook delivery accepted':
      return story('webhook', `${words(text('source'), text('ref'), 'accepted →', what)}${people()}`);
    case 'Webhook delivery refused': {
      const because = text('reason') ?? 'refused';
      return story(
        'webhook',
        `${text('source') ?? 'a'} delivery refused (${because}, HTTP ${text('status') ?? '?'})${what ? `: ${what}` : ''}${people()}`,
      );
    }
    case 'Webhook delivery ignored':
      return story('webhook', `${text('source')} delivery ignored: ${text('why') ?? ''}`);
    case 'Webhook delivery repeated':
      return story(
        'webhook',
        `${text('source')} delivery repeated: ${text('operationId')}, nothing enqueued again`,
      );
    case 'Operation succeeded':
      return story(
        'operation',
        `${what} succeeded${record.dryRun === true ? ' (dry run: nothing changed)' : ''}`,
      );
    case 'Operation failed':
      return story('operation', `${what} failed: ${text('errorCode')}: ${text('detail') ?? ''}`);
    case 'Operation will be retried':
      return story('operation', `${what} will be retried in ${text('inSeconds')} s (${text('errorCode')})`);
    case 'Operation dead-lettered':
      return story('operation', `${what || 'a message'} went to the dead-letter queue: ${text('reason')}`);
    case 'Notification sent':
      return story(
        'ticket',
        words(text('source'), text('ref'), 'told:', text('operationId'), text('status')),
      );
    case 'Notification not sent: nowhere to tell':
    case 'Inventory stored':
    case 'Access-list sync stored its report':
      // The inventory and the sync print their own summaries; an outcome with no ticket is nobody's news.
      return undefined;
    default:
      if (record.level !== 'WARN' && record.level !== 'ERROR') return undefined;
      return story(
        record.level.toLowerCase(),
        `${text('service') ?? ''}: ${record.message}${detailOf(record)}`,
      );
  }
}

/** The fields a warning's line shows: the reason and error, when it has them. */
function detailOf(record: LogRecord): string {
  const parts = ['reason', 'error', 'why']
    .map((key) => record[key])
    .filter((value): value is string => typeof value === 'string');
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

/** `HH:MM:SS` of the record's time, in the local time zone, as a terminal shows times. */
function clock(timestamp: string | undefined): string {
  const at = timestamp ? new Date(timestamp) : new Date();
  return Number.isNaN(at.getTime()) ? '--:--:--' : at.toTimeString().slice(0, 8);
}
