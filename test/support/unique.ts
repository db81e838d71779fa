let sequence = 0;

/** A number no earlier call in this test file returned: keeps one test's rows, slugs and addresses apart from another's. */
export const nextNumber = () => ++sequence;

/** `text` made unique in this run by a counter and the clock: comment bodies, headlines, slugs that must not collide. */
export const unique = (text: string) => `${text} (${nextNumber()}-${Date.now()})`;

/** An address no other test uses: `label-N-time@example.com`. */
export const uniqueEmail = (label = 'reader') => `${label}-${nextNumber()}-${Date.now()}@example.com`;
