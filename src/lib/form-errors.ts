import { z } from 'zod';
import type { $ZodError } from 'zod/v4/core';

/** The first message for each field of a form that failed validation, keyed by field name. */
export function firstErrorPerField<Field extends string>(
  error: $ZodError,
  fields: readonly Field[],
): Partial<Record<Field, string>> {
  const messages: Partial<Record<string, string[]>> = z.flattenError(error).fieldErrors;
  const errors: Partial<Record<Field, string>> = {};
  for (const field of fields) {
    const first = messages[field]?.[0];
    if (first) errors[field] = first;
  }
  return errors;
}

/** The submitted fields as strings, whatever else was sent, so a refused form comes back as it was typed. */
export function submittedStrings<Field extends string>(
  body: unknown,
  fields: readonly Field[],
): Partial<Record<Field, string>> {
  const values: Partial<Record<Field, string>> = {};
  if (body && typeof body === 'object') {
    for (const field of fields) {
      const value = (body as Record<string, unknown>)[field];
      if (typeof value === 'string' || typeof value === 'number') values[field] = String(value);
    }
  }
  return values;
}
