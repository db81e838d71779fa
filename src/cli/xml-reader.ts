/**
 * A small, strict XML reader for export files: elements with their namespace URIs resolved, text with
 * CDATA sections joined, the five predefined entities and character references decoded. A DOCTYPE is
 * refused outright, so no DTD is read, no external entity is fetched and no entity can expand (no
 * XXE, no "billion laughs"). Anything not well formed is an `XmlError` naming the line and column.
 */

export interface XmlElement {
  /** The namespace URI ('' for none). */
  ns: string;
  /** The name without its prefix. */
  local: string;
  attributes: Record<string, string>;
  children: (XmlElement | string)[];
  /** Where its start tag begins in the text, 1-based. */
  line: number;
  column: number;
}

export class XmlError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} (line ${line}, column ${column})`);
  }
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/y;
const XML = 'http://www.w3.org/XML/1998/namespace';

/** Is this code point allowed in an XML 1.0 document? */
const isXmlChar = (code: number) =>
  code === 0x9 ||
  code === 0xa ||
  code === 0xd ||
  (code >= 0x20 && code <= 0xd7ff) ||
  (code >= 0xe000 && code <= 0xfffd) ||
  (code >= 0x10000 && code <= 0x10ffff);

interface Open {
  element: XmlElement;
  qname: string;
  scope: Map<string, string>;
}

/** Thrown inside a token that the text read so far ends in the middle of: it is read again with more. */
const NEED_MORE = Symbol('need more');

/**
 * Called when an element ends, with its open ancestors (the root first); it returns whether the
 * element stays among its parent's children. An export's reader takes each item as it ends and
 * lets it go, so the file is read in bounded memory.
 */
export type ElementEnd = (element: XmlElement, ancestors: XmlElement[]) => boolean;

/**
 * Reads a document in pieces (`write`, then `end`), as a file is read in chunks: only the text not yet
 * read as whole markup and the open elements (with the children kept) are held.
 */
export class XmlReader {
  private buffer = '';
  /** Where the buffer starts in the whole text. */
  private base = 0;
  /** A place in the text whose line is known, moved forward as elements are read (newlines counted once). */
  private cursor = { at: 0, line: 1, lineStart: 0 };
  /** The buffer's start, with its line. */
  private start = this.cursor;
  private started = false;
  private final = false;
  private readonly stack: Open[] = [];
  private root: XmlElement | undefined;

  constructor(private readonly onEnd: ElementEnd = () => true) {}

  /** Reads the next piece of the text. */
  write(chunk: string): void {
    this.buffer += chunk;
    this.read();
  }

  /** Reads what is left; the root element, or an XmlError if the text was cut short or had none. */
  end(): XmlElement {
    this.final = true;
    this.read();
    const open = this.stack.at(-1);
    if (open)
      this.fail(
        `the file ends before </${open.qname}> (opened on line ${open.element.line}): is it cut short?`,
        this.base + this.buffer.length,
      );
    if (!this.root) throw new XmlError('no XML element in the file', 1, 1);
    return this.root!;
  }

  /** Line and column (1-based) of a place in the whole text at or after the buffer's start. */
  private position(at: number): { line: number; column: number } {
    const known = at < this.cursor.at ? this.start : this.cursor;
    let { line, lineStart } = known;
    for (let newline = this.buffer.indexOf('\n', known.at - this.base); newline !== -1 && newline + this.base < at; ) {
      line += 1;
      lineStart = newline + this.base + 1;
      newline = this.buffer.indexOf('\n', newline + 1);
    }
    this.cursor = { at, line, lineStart };
    return { line, column: at - lineStart + 1 };
  }

  private fail(message: string, at: number): never {
    const { line, column } = this.position(at);
    throw new XmlError(message, line, column);
  }

  private read(): void {
    const text = this.buffer;
    let index = 0;
    if (!this.started) {
      if (text.length === 0 && !this.final) return;
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) index = 1;
    }
    const stack = this.stack;
    const base = this.base;
    const final = this.final;
    const fail = (message: string, at = index): never => this.fail(message, base + at);
    /** A token the text read so far ends inside of: an error at the end, else read again with more. */
    const unfinished = (message: string): never => {
      if (final) fail(message);
      throw NEED_MORE;
    };

    const decode = (raw: string, at: number): string =>
      raw.replace(/&([^;&<]*);?/g, (match, name: string, offset: number) => {
        if (!match.endsWith(';')) fail('an “&” that starts no entity (write &amp;)', at + offset);
        if (name in PREDEFINED) return PREDEFINED[name]!;
        const numeric = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(name);
        if (!numeric) fail(`the entity &${name}; is not defined (DTD entities are not read)`, at + offset);
        const code = numeric![1] ? parseInt(numeric![1], 16) : Number(numeric![2]);
        if (!isXmlChar(code)) fail(`&${name}; is not a character XML allows`, at + offset);
        return String.fromCodePoint(code);
      });

    const addText = (value: string) => {
      const parent = stack.at(-1);
      if (parent) {
        const last = parent.element.children.at(-1);
        if (typeof last === 'string') parent.element.children[parent.element.children.length - 1] = last + value;
        else parent.element.children.push(value);
      } else if (value.trim() !== '') fail(this.root ? 'text after the root element' : 'text before the root element');
    };

    const resolve = (qname: string, scope: Map<string, string>, at: number, attribute = false): [string, string] => {
      const colon = qname.indexOf(':');
      if (colon < 0) return [attribute ? '' : (scope.get('') ?? ''), qname];
      const prefix = qname.slice(0, colon);
      const uri = prefix === 'xml' ? XML : scope.get(prefix);
      if (uri === undefined) fail(`the prefix “${prefix}:” is not bound to a namespace`, at);
      return [uri!, qname.slice(colon + 1)];
    };

    /** Where a start tag beginning at `from` ends (after its `>`), quotes minded; -1 if the text read so far does not hold it. */
    const tagEnd = (from: number) => {
      let quote = '';
      for (let at = from + 1; at < text.length; at += 1) {
        const char = text[at];
        if (quote) {
          if (char === quote) quote = '';
        } else if (char === '"' || char === "'") quote = char;
        else if (char === '>') return at + 1;
      }
      return -1;
    };

    const token = () => {
      const lt = text.indexOf('<', index);
      if (lt < 0) {
        if (!final) throw NEED_MORE;
        const rest = text.slice(index);
        if (rest.includes(']]>')) fail('“]]>” outside a CDATA section', index + rest.indexOf(']]>'));
        addText(decode(rest, index));
        index = text.length;
        return;
      }
      if (lt > index) {
        const raw = text.slice(index, lt);
        if (raw.includes(']]>')) fail('“]]>” outside a CDATA section', index + raw.indexOf(']]>'));
        addText(decode(raw, index));
        index = lt;
        return;
      }
      // Enough to tell `<!--`, `<![CDATA[` and `<!DOCTYPE` apart.
      if (!final && text.length - index < 9) throw NEED_MORE;
      if (text.startsWith('<!--', index)) {
        const end = text.indexOf('-->', index + 4);
        if (end < 0) unfinished('a comment that never ends');
        index = end + 3;
      } else if (text.startsWith('<![CDATA[', index)) {
        const end = text.indexOf(']]>', index + 9);
        if (end < 0) unfinished('a CDATA section that never ends');
        if (stack.length === 0) fail('a CDATA section outside the root element');
        addText(text.slice(index + 9, end));
        index = end + 3;
      } else if (text.startsWith('<?', index)) {
        const end = text.indexOf('?>', index + 2);
        if (end < 0) unfinished('a processing instruction that never ends');
        index = end + 2;
      } else if (text.startsWith('<!', index)) {
        fail(
          text.startsWith('<!DOCTYPE', index)
            ? 'a DOCTYPE: export files have none, and DTDs and their entities are not read'
            : 'markup declaration outside a DTD',
        );
      } else if (text.startsWith('</', index)) {
        const close = text.indexOf('>', index);
        if (close < 0 && !final) throw NEED_MORE;
        NAME.lastIndex = index + 2;
        const name = NAME.exec(text)?.[0];
        const open = stack.pop();
        if (!open) fail(`a closing </${name}> with nothing open`);
        if (name !== open!.qname)
          fail(`</${name}> where </${open!.qname}> (opened on line ${open!.element.line}) was expected`);
        if (close < 0 || text.slice(index + 2 + name!.length, close).trim() !== '') fail(`a malformed </${name}>`);
        index = close + 1;
        const ancestors = stack.map((entry) => entry.element);
        if (!this.onEnd(open!.element, ancestors)) ancestors.at(-1)?.children.pop();
        if (stack.length === 0) this.root = open!.element;
      } else {
        if (!final && tagEnd(index) < 0) throw NEED_MORE;
        const start = index;
        NAME.lastIndex = index + 1;
        const qname = NAME.exec(text)?.[0];
        if (!qname) fail('a “<” that starts no element (write &lt;)');
        if (this.root) fail('a second root element');
        index += 1 + qname!.length;
        const raw: [string, string, number][] = [];
        let selfClosing = false;
        for (;;) {
          const space = /\s*/y;
          space.lastIndex = index;
          space.exec(text);
          const skipped = space.lastIndex > index;
          index = space.lastIndex;
          if (index >= text.length) fail(`the file ends inside the tag <${qname}>`, start);
          if (text.startsWith('/>', index)) {
            selfClosing = true;
            index += 2;
            break;
          }
          if (text[index] === '>') {
            index += 1;
            break;
          }
          if (!skipped) fail(`a malformed tag <${qname}>`);
          NAME.lastIndex = index;
          const attribute = NAME.exec(text)?.[0];
          if (!attribute) fail(`a malformed attribute in <${qname}>`);
          const value = /\s*=\s*(["'])/y;
          value.lastIndex = index + attribute!.length;
          const quote = value.exec(text)?.[1];
          if (!quote) fail(`the attribute ${attribute} in <${qname}> has no quoted value`);
          const valueStart = value.lastIndex;
          const end = text.indexOf(quote!, valueStart);
          if (end < 0) fail(`the attribute ${attribute} in <${qname}> never ends`);
          const rawValue = text.slice(valueStart, end);
          if (rawValue.includes('<')) fail(`a “<” in the attribute ${attribute}`, valueStart);
          if (raw.some(([name]) => name === attribute)) fail(`the attribute ${attribute} twice in <${qname}>`);
          raw.push([attribute!, decode(rawValue, valueStart), index]);
          index = end + 1;
        }
        const scope = new Map(stack.at(-1)?.scope ?? []);
        for (const [name, value] of raw) {
          if (name === 'xmlns') scope.set('', value);
          else if (name.startsWith('xmlns:')) scope.set(name.slice(6), value);
        }
        const [ns, local] = resolve(qname!, scope, start);
        const attributes: Record<string, string> = {};
        for (const [name, value, at] of raw) {
          if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
          const [attributeNs, attributeLocal] = resolve(name, scope, at, true);
          attributes[attributeNs ? `${attributeNs} ${attributeLocal}` : attributeLocal] = value;
        }
        const element: XmlElement = { ns, local, attributes, children: [], ...this.position(base + start) };
        stack.at(-1)?.element.children.push(element);
        if (!selfClosing) stack.push({ element, qname: qname!, scope });
        else {
          const ancestors = stack.map((entry) => entry.element);
          if (!this.onEnd(element, ancestors)) ancestors.at(-1)?.children.pop();
          if (stack.length === 0) this.root = element;
        }
      }
    };

    while (index < text.length) {
      const before = index;
      try {
        token();
      } catch (error) {
        if (error !== NEED_MORE) throw error;
        index = before;
        break;
      }
    }
    this.position(base + index);
    this.start = this.cursor;
    this.buffer = text.slice(index);
    this.base = base + index;
  }
}

/** Parses a whole document; returns its root element. */
export function parseXml(text: string): XmlElement {
  const reader = new XmlReader();
  reader.write(text);
  return reader.end();
}

/** The elements among `element`'s children, optionally only those named `local` in a namespace `ns` accepts. */
export function childElements(element: XmlElement, ns?: (uri: string) => boolean, local?: string): XmlElement[] {
  return element.children.filter(
    (child): child is XmlElement =>
      typeof child !== 'string' && (!ns || ns(child.ns)) && (local === undefined || child.local === local),
  );
}

/** An element's text: its own text and CDATA, joined (child elements' text left out). */
export function ownText(element: XmlElement | undefined): string {
  return element ? element.children.filter((child) => typeof child === 'string').join('') : '';
}
