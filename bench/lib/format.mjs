// Number formatting and a plain-text table renderer for the bench report.

const MISSING = '-';

export function formatInteger(n) {
  return n === null || n === undefined ? MISSING : Math.round(n).toLocaleString('en-US');
}

export function formatFixed(n, digits) {
  return n === null || n === undefined || !Number.isFinite(n) ? MISSING : n.toFixed(digits);
}

/** Decimal megabytes (10^6 bytes), as used for file sizes, throughput and RSS throughout the report. */
export function megabytes(bytes) {
  return bytes === null || bytes === undefined ? null : bytes / 1e6;
}

/** `columns`: [{ header, align: 'left' | 'right', cell(row) -> string }] */
export function renderTable(columns, rows) {
  const cells = rows.map((row) => columns.map((column) => String(column.cell(row))));
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((line) => line[i].length)));
  const renderLine = (values) => values
    .map((value, i) => (columns[i].align === 'left' ? value.padEnd(widths[i]) : value.padStart(widths[i])))
    .join('  ')
    .trimEnd();
  const header = renderLine(columns.map((column) => column.header));
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [header, rule, ...cells.map(renderLine)].join('\n');
}
