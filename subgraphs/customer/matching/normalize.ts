/**
 * Canonical forms of the values people type differently in different systems,
 * so that equal forms mean the same thing. Each answers null for a value that
 * cannot be used to link (missing or malformed).
 */

/** Domains that deliver to the same mailbox whatever dots the local part has. */
const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * Lower case; `+tags` dropped (most providers deliver `me+shop@` to `me@`);
 * for Gmail also the dots, which Gmail ignores, and googlemail.com spelled gmail.com.
 */
export function normaliseEmail(email: string | null | undefined): string | null {
  if (!email) return null;
  const trimmed = email.trim().toLowerCase();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) return null;
  let local = trimmed.slice(0, at).split('+')[0] as string;
  let domain = trimmed.slice(at + 1);
  if (GMAIL_DOMAINS.has(domain)) {
    domain = 'gmail.com';
    local = local.replace(/\./g, '');
  }
  return local ? `${local}@${domain}` : null;
}

/** The 10 digits of a North American number: punctuation, spaces and a leading `+1`/`1` dropped. */
export function normalisePhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  let digits = phone.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  return digits.length === 10 ? digits : null;
}

/** Spaces dropped, upper case; a US ZIP+4 shortened to its 5 digits. */
export function normalisePostcode(postcode: string | null | undefined): string | null {
  if (!postcode) return null;
  const compact = postcode.replace(/\s+/g, '').toUpperCase();
  const zip = /^(\d{5})-?\d{4}$/.exec(compact);
  return (zip ? zip[1] : compact) || null;
}

/** Names compare case-insensitively, ignoring surrounding and repeated spaces. */
export function normaliseName(name: string | null | undefined): string | null {
  if (!name) return null;
  return name.trim().replace(/\s+/g, ' ').toLowerCase() || null;
}

/** Loyalty ids are codes: compared without spaces, upper case. */
export function normaliseLoyaltyId(loyaltyId: string | null | undefined): string | null {
  if (!loyaltyId) return null;
  return loyaltyId.replace(/\s+/g, '').toUpperCase() || null;
}
