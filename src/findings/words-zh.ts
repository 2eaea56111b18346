/** Small pieces the Chinese catalogs (summaries-zh.ts, reasons-zh.ts) share. */

/** A side of a conversation as the checks name it ('client' / 'server'). */
export function sideZh(side: string): string {
  return side === 'client' ? '客户端' : side === 'server' ? '服务器' : side;
}

/** A list in a Chinese sentence: 、 between the items. */
export function listZh(items: readonly (string | number)[]): string {
  return items.join('、');
}
