/** The parts of @remy/webmention (no types of its own) the sender test uses. */
declare module '@remy/webmention' {
  import type { EventEmitter } from 'node:events';

  export interface SentWebmention {
    source: string;
    target: string;
    endpoint: { url: string; type: 'webmention' | 'pingback' };
    status: number;
  }

  export default class Webmention extends EventEmitter {
    constructor(options?: { limit?: number; send?: boolean });
    fetch(url: string): void;
  }
}
