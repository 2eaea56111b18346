/** A file as Slack describes it in a message event (the fields netcase reads). */
export interface SlackFile {
  id: string;
  name?: string;
  title?: string;
  filetype?: string;
  mimetype?: string;
  size?: number;
  mode?: string;
  url_private_download?: string;
  url_private?: string;
}

export type FileVerdict = 'capture' | 'etl' | 'skip';

const CAPTURE_EXT = /\.(pcap|pcapng|cap|ntar|dmp|trc|pkt|gz|tgz|zip|pcap\d*)$/i;
const SKIP_MIME = /^(image|video|audio)\/|^text\/|^application\/(pdf|msword|vnd\.openxmlformats|vnd\.ms-|json|xml|javascript)/i;
const SKIP_TYPES = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'heic', 'mp4', 'mov', 'mp3', 'pdf', 'docx', 'doc', 'xlsx', 'xls', 'pptx', 'text', 'markdown', 'post', 'csv', 'json', 'html', 'xml', 'javascript', 'python', 'shell', 'gdoc', 'gsheet', 'gpres', 'email', 'space', 'quip', 'canvas', 'list']);

/**
 * Whether a file is worth downloading, from Slack's filetype, mimetype and name only: captures,
 * gzip, zip, ETL and unknown binaries are; images, documents and text are not. The content decides
 * everything after the download.
 */
export function fileVerdict(f: SlackFile): FileVerdict {
  const name = f.name ?? f.title ?? '';
  if (f.mode === 'external' || f.mode === 'tombstone' || f.mode === 'snippet' || f.mode === 'post') return 'skip';
  if (/\.etl$/i.test(name)) return 'etl';
  if (CAPTURE_EXT.test(name)) return 'capture';
  if (f.filetype && SKIP_TYPES.has(f.filetype.toLowerCase())) return 'skip';
  if (f.mimetype && SKIP_MIME.test(f.mimetype)) return 'skip';
  // pcap, pcapng, gzip, zip, "binary", or nothing said: let the content decide.
  return 'capture';
}
