/** Each command's usage line, in one place: the help text and the commands' own errors share it. */
export const USAGE = {
  info: 'netcase info FILE [--json]',
  analyze: 'netcase analyze FILE [--json] [--symptom TEXT] [--host IP] [--port N] [--all-flows]',
  cases: 'netcase cases lint | show ID [--json] | search TEXT... [--json] [--limit N]',
  decode: 'netcase decode FILE [--json] [--limit N]',
} as const;
