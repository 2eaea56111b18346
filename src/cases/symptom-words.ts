import { stem, SYNONYMS } from './tokenize.js';

/**
 * How much a word of a user's symptom says about which page fits. People describe every problem
 * with the same words ("cannot reach the service", "访问服务器有问题"); such words stay in the
 * search (a page's aliases are never stripped) but weigh little, so a symptom lifts a page only
 * through what is distinctive to it: its platform contrast, its service, its error. Chinese
 * bigrams that straddle two words ("器访" in 服务器访问) or hold a function character weigh
 * little too: real terms are matched by their own bigrams and by the synonym concepts.
 */
const EN_GENERIC = [
  'reach', 'reachable', 'service', 'services', 'server', 'servers', 'way', 'work', 'works', 'working', 'worked', 'fail', 'fails', 'failed', 'failing', 'failure',
  'problem', 'problems', 'issue', 'issues', 'error', 'errors', 'some', 'only', 'our', 'we', 'they', 'them', 'their', 'users', 'user', 'people', 'customer', 'customers',
  'client', 'clients', 'access', 'accessing', 'connect', 'connecting', 'connection', 'connections', 'open', 'opening', 'site', 'sites', 'page', 'pages', 'when',
  'after', 'before', 'time', 'times', 'get', 'gets', 'got', 'one', 'all', 'other', 'others', 'any', 'every', 'same', 'just', 'still', 'now', 'today', 'again',
  'help', 'please', 'seems', 'seem', 'look', 'looks', 'like', 'using', 'use', 'used', 'have', 'has', 'had', 'will', 'would', 'should', 'could', 'there', 'here',
  'network', 'app', 'application', 'machine', 'machines', 'host', 'hosts', 'computer', 'computers', 'team', 'thing', 'things', 'something', 'sometimes', 'always',
  'never', 'new', 'old', 'very', 'much', 'many', 'more', 'less', 'cant', 'dont', 'doesnt', 'isnt', 'wont', 'since', 'while', 'what', 'which', 'who', 'why', 'how',
  'into', 'than', 'then', 'also', 'its', 'it', 'my', 'me', 'i', 'you', 'your', 'us', 'be', 'been', 'being', 'get', 'getting', 'go', 'goes', 'going', 'come', 'comes', 'only', 'ok', 'fine', 'happen', 'happens', 'happened', 'keep', 'keeps', 'sure', 'know', 'see', 'seen', 'try', 'tried',
];
const STOP_EN = new Set(EN_GENERIC.map(stem));

/** Characters that glue Chinese words together; a bigram holding one is rarely a term. */
const ZH_FUNCTION = new Set([...'的了是在我们你他她它有和就都也很不没能会个这那时候吗呢吧把被让给对说要一上下里到着过还又再而与或及等从向']);
/** Bigrams that appear in nearly every complaint. */
const ZH_GENERIC = new Set(['服务', '务器', '无法', '访问', '问题', '连接', '网络', '用户', '客户', '户端', '正常', '出现', '不能', '可以', '时候', '有时', '现在', '一直', '系统', '机器', '电脑', '打开', '使用', '发现', '情况', '应用', '程序', '其他', '部分', '所有', '只有', '我们', '他们', '一些', '公司', '同事']);

/** Synonym concepts so common in complaints that they say little on their own. */
const GENERIC_CONCEPTS = new Set(
  ['slow', 'timeout', 'browser', 'download', 'capture']
    .map((word) => SYNONYMS.findIndex((group) => group[0] === word || group.includes(word)))
    .filter((i) => i >= 0)
    .map((i) => `syn:${i}`),
);

/** The weight of one token of a symptom (tokenize's output): 1 for distinctive words, less for common ones. */
export function symptomWeight(token: string): number {
  if (token.startsWith('syn:')) return GENERIC_CONCEPTS.has(token) ? 0.4 : 1;
  if (/\p{Script=Han}/u.test(token)) {
    if (token.length === 1) return 0.1;
    if ([...token].some((ch) => ZH_FUNCTION.has(ch))) return 0.1;
    return ZH_GENERIC.has(token) ? 0.15 : 1;
  }
  return STOP_EN.has(token) ? 0.15 : 1;
}

/** Common Chinese words whose edges are word boundaries: a bigram across one is not a term. */
const ZH_WORDS = [...ZH_GENERIC, '服务器', '客户端', '浏览器', '数据库', '应用程序', '有问题', '不了', '不行', '一下'].sort((a, b) => b.length - a.length);

/**
 * The weights of one symptom's tokens, with context: a Chinese bigram that straddles the edge of
 * a common word ("器访" in 服务器访问, "务一" in 服务一直) weighs 0.1 however rare it is.
 */
export function symptomWeigher(text: string): (token: string) => number {
  const broken = new Set<string>();
  const whole = new Set<string>();
  for (const m of text.matchAll(/\p{Script=Han}+/gu)) {
    const run = m[0];
    const edge = new Set<number>();
    for (let i = 0; i < run.length; ) {
      const word = ZH_WORDS.find((w) => run.startsWith(w, i));
      if (word === undefined) {
        i++;
        continue;
      }
      edge.add(i);
      edge.add(i + word.length);
      i += word.length;
    }
    for (let i = 0; i + 1 < run.length; i++) (edge.has(i + 1) ? broken : whole).add(run.slice(i, i + 2));
  }
  return (token) => (broken.has(token) && !whole.has(token) ? 0.1 : symptomWeight(token));
}

/** A word that counts toward lifting a page (weight 1). */
export function isDistinctive(token: string, weigh: (token: string) => number = symptomWeight): boolean {
  return weigh(token) >= 1;
}
