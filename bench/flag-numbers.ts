/** A numeric command-line flag's value, refused with the flag's name when it is not a number above 0. */
export function positive(value: string | undefined, name: string): number {
  const v = Number(value);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

/** A numeric command-line flag's value, refused with the flag's name when it is not a number of 0 or more. */
export function zeroOrMore(value: string | undefined, name: string): number {
  const v = Number(value);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be 0 or more`);
  return v;
}
