/**
 * The data dictionary, generated from the zod schemas (never hand-edited):
 * `cafe-impact schema [dataset]` prints it, docs/DATA-DICTIONARY.md holds the Markdown.
 */
import { columnsOf, type Column } from './columns.ts';
import { DATASETS, type DatasetDef } from './datasets.ts';

function constraints(c: Column): string {
  const parts: string[] = [];
  if (c.enum) parts.push(`one of ${c.enum.map((e) => `\`${e}\``).join(', ')}`);
  if (c.min !== undefined && c.max !== undefined) parts.push(`${c.min} to ${c.max}`);
  else if (c.min !== undefined) parts.push(`≥ ${c.min}`);
  else if (c.max !== undefined) parts.push(`≤ ${c.max}`);
  if (c.commune) parts.push('INSEE commune code in the official list (codes of merged communes are mapped to the current one)');
  else if (c.siren) parts.push('9 digits, valid Luhn key');
  else if (c.pseudonym) parts.push('pseudonymous key made by the office (letters, digits, `_`, `-`); never a name, e-mail or phone');
  else if (c.pattern && c.sqlType === 'VARCHAR') parts.push('identifier: letters, digits, `_` `.` `-`');
  if (c.maxLength !== undefined && !c.pattern) parts.push(`at most ${c.maxLength} characters`);
  if (c.default !== undefined) parts.push(`default ${JSON.stringify(c.default)} when the column is absent from the file (or the key from a JSON record); an empty cell is a missing value and is rejected`);
  if (c.sqlType === 'DATE') parts.push('`yyyy-mm-dd` or `dd/mm/yyyy` (one format per file)');
  if (c.sqlType === 'TIMESTAMP') parts.push('ISO 8601 or `dd/mm/yyyy hh:mm:ss`; Europe/Paris time (an offset is converted)');
  if (c.sqlType === 'DOUBLE') parts.push('decimal point or decimal comma (`;`-separated files); finite (no NaN, infinity or out-of-range exponent)');
  if (c.sqlType === 'BIGINT' && !c.item) parts.push('a whole number (2.7 is rejected, not rounded)');
  return parts.join('; ');
}

function datasetMarkdown(def: DatasetDef): string {
  const cols = columnsOf(def.schema);
  const lines = [
    `## \`${def.name}\``,
    '',
    `${def.description}.`,
    '',
    `- Kind: ${def.kind === 'dated' ? `dated records, placed in a period by \`${def.dateColumn}\` (Europe/Paris date); ingesting a period replaces its rows` : `reference table, upserted by key (${def.key!.map((k) => `\`${k}\``).join(' + ')}) and versioned (valid-from / valid-to)`}`,
    `- File: \`${def.name}.csv\` (or \`.parquet\`, \`.json\`, \`.ndjson\`)`,
  ];
  if (def.people) lines.push('- Holds people: identified by pseudonymous keys only; a column named like a direct identifier (name, e-mail, phone…, FR or EN) or holding an e-mail address or a phone number refuses the file; keys shaped like a phone number are rejected (`--pseudonymise` derives keys from a clear column)');
  if (def.cafeColumn) lines.push(`- \`${def.cafeColumn}\` must be a known café (warehouse or the same folder's \`cafes\` file)`);
  if (def.unique) lines.push(`- Unique within a file: ${def.unique.map((k) => `\`${k}\``).join(' + ')}`);
  for (const r of def.rules ?? []) lines.push(`- Rule: \`${r.sql}\` (else: ${r.column} ${r.reason})`);
  if (def.name === 'survey') lines.push('- Then one integer column per item of the questionnaire (`questionnaire` dataset), within the item\'s scale; empty = no answer');
  lines.push('', '| column | type | required | constraints | description |', '|---|---|---|---|---|');
  for (const c of cols) {
    lines.push(`| \`${c.name}\` | ${c.sqlType} | ${c.required ? 'yes' : 'no'} | ${constraints(c)} | ${c.description}${c.unit ? ` (${c.unit})` : ''} |`);
  }
  return lines.join('\n');
}

export function dictionaryMarkdown(only?: string): string {
  const defs = only ? [DATASETS[only]!] : Object.values(DATASETS);
  const head = only
    ? []
    : [
        '# Data dictionary\n\n<!-- Generated from src/contract/datasets.ts by `npm run dictionary`. Do not edit by hand. -->',
        'Input files are named after their dataset and may sit together in one folder (any subset).\n' +
          'CSV files may use `,` `;` or tab, UTF-8 (with or without BOM), UTF-16 or Windows-1252 (decided on evidence: a\n' +
          'file valid in UTF-8 but for a few lines is UTF-8 with those lines rejected), ISO or `dd/mm/yyyy` dates,\n' +
          'LF, CRLF or CR line ends.',
        'Empty cells are missing values, in every column: a required column rejects them, an optional one\n' +
          'stores NULL, and a column\'s default applies only when the column is absent from the file (or\n' +
          'the key from a JSON record). Numbers follow the same rules in every format (CSV, Parquet, JSON):\n' +
          'NaN, infinities, exponents out of range (1e309, 1e-400), digit separators (`1_000`), true/false,\n' +
          'and fractions in whole-number columns are rejected with their reason.',
      ];
  return [...head, ...defs.map(datasetMarkdown)].join('\n\n') + '\n';
}
