/**
 * Text Postgres cannot store, and email cannot carry: a NUL character, or half of a UTF-16 surrogate
 * pair. Every form field and API field refuses it as a field error (not a 500 whose log line would
 * quote the query's parameters). No server-only: the forms' schemas, which the browser loads, use it.
 */
export function isStorableText(value: string): boolean {
  return value.isWellFormed() && !value.includes("\u0000");
}

/** What a field with such text says. */
export const UNSTORABLE_TEXT_MESSAGE = "Remove the invisible control characters from this field.";

/** A word with its indefinite article, as a sentence says it: "an owner", "an admin", "a member". */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? "an" : "a"} ${word}`;
}
