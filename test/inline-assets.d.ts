/** A fixture file as a data: URL (Vite's `?inline`), for binary test files. */
declare module '*?inline' {
  const dataUrl: string;
  export default dataUrl;
}

/** A fixture file's text (Vite's `?raw`). */
declare module '*?raw' {
  const text: string;
  export default text;
}
