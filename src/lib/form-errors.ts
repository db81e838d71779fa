/** The first message for each field of a form that failed validation, keyed by field name. */
export function firstErrorPerField<Field extends string>(
  error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] },
  fields: readonly Field[],
): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  for (const issue of error.issues) {
    const field = issue.path[0] as Field;
    if (fields.includes(field) && !errors[field]) errors[field] = issue.message;
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
