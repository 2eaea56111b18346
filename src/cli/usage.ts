/** Each command's usage line, in one place: the help text and the commands' own errors share it. */
export const USAGE = {
  info: 'netcase info FILE [--json]',
  analyze: 'netcase analyze FILE [--json] [--symptom TEXT] [--host IP] [--port N] [--all-flows] [--save] [--draw DIR] [--max-seconds N]',
  cases: 'netcase cases lint | show ID [--json] | search TEXT... [--json] [--limit N]',
  decode: 'netcase decode FILE [--json] [--limit N]',
  investigations:
    'netcase investigations list [--status open|resolved|dismissed|all] [--json] | show ID [--json] | open --title TEXT [--symptom TEXT] | resolve ID --cause TEXT --fix TEXT [--commands TEXT] [--case ID] [--ticket T] | reopen ID | dismiss ID [--reason TEXT] | take ID [--owner NAME] | note ID TEXT | export ID [--out FILE]',
  migrate: 'netcase migrate [up|down|status]',
  purge: 'netcase purge [--days N] [--json]',
  jobs: 'netcase jobs list [--json] [--limit N] | retry ID',
} as const;
