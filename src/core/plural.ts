// Counted nouns for output text: "1 call", "2 calls", "1 long-term key".

/** `n noun` with the noun in the plural unless n is 1; `plural` for irregular forms. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
