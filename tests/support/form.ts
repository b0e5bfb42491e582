/** The FormData a browser posts for these fields, as a Server Action receives it. */
export function form(fields: Record<string, string> = {}): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}
