/** The attributes of an HTML fragment that hold one address each. */
const URL_ATTRIBUTES = ['href', 'src'] as const;

const resolve = (url: string, base: string) => URL.parse(url, base)?.href ?? url;

/**
 * Whether `html` may hold an address to resolve: a `srcset`, or an `href` or `src` not starting with
 * `http:`, `https:` or `mailto:`. Text that merely looks like one only costs a needless pass.
 */
const mayHoldRelativeAddress = (html: string) =>
  /\bsrcset\s*=|\b(?:href|src)\s*=\s*(?!["']?(?:https?|mailto):)/i.test(html);

/**
 * `html` with every `href`, `src` and `srcset` address resolved against `base` (the page the fragment
 * is shown on), for documents read away from the site: a JSON Feed has no `xml:base`. Workers'
 * HTMLRewriter parses the fragment, when it has an address that may be relative.
 */
export async function withAbsoluteLinks(html: string, base: string): Promise<string> {
  // Parsing a long body costs a feed more than anything else it does: most bodies need none.
  if (!mayHoldRelativeAddress(html)) return html;
  const rewriter = new HTMLRewriter().on('[href], [src], [srcset]', {
    element(element) {
      for (const name of URL_ATTRIBUTES) {
        const value = element.getAttribute(name);
        if (value !== null) element.setAttribute(name, resolve(value, base));
      }
      const srcset = element.getAttribute('srcset');
      if (srcset !== null) {
        const candidates = srcset.split(',').map((candidate) => {
          const [url = '', ...descriptor] = candidate.trim().split(/\s+/);
          return [resolve(url, base), ...descriptor].join(' ');
        });
        element.setAttribute('srcset', candidates.join(', '));
      }
    },
  });
  return rewriter.transform(new Response(html)).text();
}
