/**
 * The README is the front door: at most 250 lines; a folder map with an entry (a list item starting
 * with `src/<name>/`) for every folder of src/ and for nothing else; a documentation list that links
 * every page of docs/. Every relative link in the README and in docs/*.md must lead to a file or
 * folder of the repository. Runs in Node (the `node` project of vitest.config.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = 'README.md';
const MAX_README_LINES = 250;
const FOLDER_MAP_HEADING = 'Folder map';
const CONTENTS_HEADING = 'Documentation';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const readme = read(README);
const docPages = readdirSync(join(ROOT, 'docs'), { withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
  .map((entry) => `docs/${entry.name}`)
  .sort();

/** The lines under `## heading`, up to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === `## ${heading}`);
  if (start < 0) throw new Error(`README.md has no "## ${heading}" section`);
  const end = lines.findIndex((line, index) => index > start && /^#{1,2} /.test(line));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** Markdown without fenced code blocks and inline code, where `[x](y)` is text, not a link. */
function withoutCode(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/(`+)[\s\S]*?\1/g, '');
}

/** The targets of `[text](target)` and `![alt](target)` links, titles left out. */
function linkTargets(markdown: string): string[] {
  return [...withoutCode(markdown).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+["'(][^)]*)?\)/g)].map(
    (match) => match[1]!,
  );
}

const isExternal = (target: string) => /^(https?:|mailto:)/i.test(target);

/** Where a relative link in `file` leads, as a path from the repository's root; undefined for a link within the page. */
function resolveLink(file: string, target: string): string | undefined {
  const path = decodeURIComponent(target.split('#')[0]!.split('?')[0]!);
  if (path === '') return undefined;
  const fromRoot = path.startsWith('/') ? path.slice(1) : join(dirname(file), path);
  return normalize(fromRoot).replace(/\/$/, '');
}

describe('README.md', () => {
  it(`has at most ${MAX_README_LINES} lines`, () => {
    expect(readme.replace(/\n$/, '').split('\n').length).toBeLessThanOrEqual(MAX_README_LINES);
  });

  it('maps every folder of src/, and only those', () => {
    const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    // An entry of the map is a list item that starts with the folder: "- `src/<name>/` — its job".
    const mapped = [...section(readme, FOLDER_MAP_HEADING).matchAll(/^\s*[-*] `src\/([\w.-]+)\//gm)].map(
      (match) => match[1]!,
    );
    expect(folders.length).toBeGreaterThan(0);
    expect(
      folders.filter((folder) => !mapped.includes(folder)),
      'folders of src/ missing from the folder map',
    ).toEqual([]);
    expect(
      mapped.filter((name) => !folders.includes(name)).sort(),
      'folders in the map that src/ does not have',
    ).toEqual([]);
  });

  it('links every page of docs/ from its documentation list', () => {
    const listed = new Set(
      linkTargets(section(readme, CONTENTS_HEADING)).flatMap((target) => {
        const path = isExternal(target) ? undefined : resolveLink(README, target);
        return path ? [path] : [];
      }),
    );
    expect(docPages.length).toBeGreaterThan(0);
    expect(
      docPages.filter((page) => !listed.has(page)),
      'docs pages not linked from the README',
    ).toEqual([]);
  });
});

describe('relative links in README.md and docs/*.md', () => {
  it.each([README, ...docPages])('%s: every one leads to a file or folder', (file) => {
    const broken = linkTargets(read(file))
      .filter((target) => !isExternal(target))
      .filter((target) => {
        const path = resolveLink(file, target);
        return (
          path !== undefined && (relative(ROOT, join(ROOT, path)).startsWith('..') || !existsSync(join(ROOT, path)))
        );
      });
    expect(broken, `links in ${file} that lead nowhere`).toEqual([]);
  });

  it('names only files and folders of the repository where it quotes a path of src/, test/ or migrations/', () => {
    const stale = [README, ...docPages].flatMap((file) =>
      [...read(file).matchAll(/`((?:src|test|migrations)\/[\w./-]*[\w/])`/g)]
        .map((match) => match[1]!)
        .filter((path) => !/[*{]/.test(path) && !existsSync(join(ROOT, path)))
        .map((path) => `${file}: ${path}`),
    );
    expect(stale).toEqual([]);
  });
});
