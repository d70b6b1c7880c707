/** decodeURIComponent that keeps the raw text when it is not a valid escape (`%`, `%zz`, a lone surrogate's `%ED%A0%80`) instead of throwing during render. */
export function decodeOrRaw(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
