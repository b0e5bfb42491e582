/** `text` for a LIKE or ILIKE pattern, its own `%`, `_` and `\` matched literally. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, "\\$&");
