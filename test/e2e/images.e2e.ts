/**
 * An editor with JavaScript off uploads a hero from the article editor and publishes; readers on a 375 px
 * phone (2× screen) and a 1280 px desktop get a variant of the right width and format, with no layout shift.
 * Screenshots: e2e-artifacts/images-375.png, e2e-artifacts/images-1280.png.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from './support/browser';
import { addEditor } from './support/staff';

const EDITOR = 'e2e.images@example.com';
const HEADLINE = `A Harbour Photographed ${Date.now()}`;

let browser: Browser;
let editor: Page;
let articlePath: string;

async function submit(page: Page, button: string) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: button, exact: true }).click()]);
}

beforeAll(async () => {
  browser = await launchBrowser();
  editor = await openPage(browser, { javaScriptEnabled: false });
  const password = addEditor(EDITOR, 'Images Editor');
  await editor.goto('/admin/sign-in');
  await editor.fill('#email', EDITOR);
  await editor.fill('#password', password);
  await submit(editor, 'Sign in');
});
afterAll(() => browser?.close());

describe('an editor, JavaScript off', () => {
  it('is told clearly when the hero file is not an image, and keeps what was typed', async () => {
    await editor.goto('/admin/articles/new');
    await editor.fill('#headline', HEADLINE);
    await editor.fill('#body', 'Typed before a wrong file was chosen.');
    await editor.fill('#heroImageAlt', 'Cranes over a harbour at dusk');
    await editor.selectOption('#authorId', { index: 1 });
    await editor.selectOption('#sectionId', { index: 1 });
    await editor.setInputFiles('#heroImageFile', {
      name: 'harbour.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from('this is a text file'),
    });
    await submit(editor, 'Save draft');
    await expect(editor.locator('#heroImageFile-error').textContent()).resolves.toContain(
      'not a JPEG, PNG, WebP, AVIF or GIF',
    );
    await expect(editor.inputValue('#headline')).resolves.toBe(HEADLINE);
    await expect(editor.inputValue('#body')).resolves.toBe('Typed before a wrong file was chosen.');
  });

  it('uploads a hero photo with the article and publishes it', async () => {
    // A photo of its own (bytes after the JPEG's end marker change its hash, not its picture).
    const photo = Buffer.concat([
      readFileSync('src/seed/images/japan-china-trawler-standoff.jpg'),
      Buffer.from(` e2e ${Date.now()}`),
    ]);
    await editor.fill('#body', 'The harbour, photographed for this article.');
    await editor.setInputFiles('#heroImageFile', { name: 'harbour.jpg', mimeType: 'image/jpeg', buffer: photo });
    await submit(editor, 'Save draft');
    await expect(editor.inputValue('#heroImageUrl')).resolves.toMatch(/^\/media\/[0-9a-f]{64}\/1280$/);
    await submit(editor, 'Publish');
    articlePath = (await editor.getByRole('link', { name: 'Read it on the site' }).getAttribute('href'))!;
    expect(articlePath).toMatch(/^\/\d{4}\/\d{2}\//);
    await editor.goto('/admin/media');
    await expect(editor.locator('.media-snippet').first().inputValue()).resolves.toMatch(
      /^!\[Cranes over a harbour at dusk\]\(\/media\/[0-9a-f]{64}\/1280\)$/,
    );
  });
});

describe('a reader sees the hero at the right size', () => {
  for (const screen of [
    { width: 375, scale: 2, variant: 960, type: 'image/avif', maxBytes: 60 * 1024 },
    { width: 1280, scale: 1, variant: 960, type: 'image/avif', maxBytes: Number.POSITIVE_INFINITY },
    { width: 1280, scale: 2, variant: 1920, type: 'image/webp', maxBytes: Number.POSITIVE_INFINITY },
  ]) {
    it(`${screen.width} px at ${screen.scale}×: the ${screen.variant} variant as ${screen.type}`, async () => {
      const page = await openPage(browser, {
        viewport: { width: screen.width, height: 900 },
        deviceScaleFactor: screen.scale,
      });
      const images: { url: string; type: string; bytes: number }[] = [];
      page.on('response', async (response) => {
        if (new URL(response.url()).pathname.startsWith('/media/')) {
          images.push({
            url: new URL(response.url()).pathname,
            type: response.headers()['content-type'] ?? '',
            bytes: (await response.body()).byteLength,
          });
        }
      });
      await page.goto(articlePath);
      const hero = page.locator('.hero img');
      const boxBeforeLoad = await hero.boundingBox();
      await page.waitForLoadState('networkidle');
      const loaded = await hero.evaluate(async (image: HTMLImageElement) => {
        // The pixels of the chosen variant (an <img> with a srcset reports a density-corrected naturalWidth).
        const variant = new Image();
        variant.src = image.currentSrc;
        await variant.decode();
        return {
          src: new URL(image.currentSrc).pathname,
          naturalWidth: variant.naturalWidth,
          width: image.getBoundingClientRect().width,
          height: image.getBoundingClientRect().height,
        };
      });
      expect(loaded.src).toMatch(new RegExp(`/${screen.variant}$`));
      expect(loaded.naturalWidth).toBe(screen.variant);
      expect(loaded.naturalWidth).toBeGreaterThanOrEqual(loaded.width * screen.scale);
      // The box had its final size before the image arrived: nothing below it moved.
      expect(boxBeforeLoad!.height).toBeCloseTo(loaded.height, 0);
      expect(loaded.height / loaded.width).toBeCloseTo(1080 / 1920, 2);
      const hero_ = images.find((image) => image.url === loaded.src)!;
      expect(hero_.type).toBe(screen.type);
      expect(hero_.bytes).toBeLessThanOrEqual(screen.maxBytes);
      console.log(`${screen.width}px@${screen.scale}x: ${loaded.src} ${hero_.type} ${hero_.bytes} bytes`);
      await page.screenshot({
        path: `e2e-artifacts/images-${screen.width}${screen.scale > 1 ? `@${screen.scale}x` : ''}.png`,
      });
      await page.context().close();
    });
  }
});
