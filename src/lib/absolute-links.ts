/** The attributes of an HTML fragment that hold one address each. */
const URL_ATTRIBUTES = ['href', 'src'] as const;

const resolve = (url: string, base: string) => URL.parse(url, base)?.href ?? url;

/**
 * `html` with every `href`, `src` and `srcset` address resolved against `base` (the page the fragment
 * is shown on), for documents read away from the site: a JSON Feed has no `xml:base`. Workers'
 * HTMLRewriter parses the fragment.
 */
export function withAbsoluteLinks(html: string, base: string): Promise<string> {
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
