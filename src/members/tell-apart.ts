/**
 * One word per member that tells them apart from the others in a list (the surname, else a business
 * word): "Sam Ortiz (Ortiz Plumbing)" and "Sam Lee (Lee Photography)" → "Ortiz", "Lee". A needs-info
 * question offers these, so the referrer can answer with one word. Dependency-free: templates use it.
 */
export function tellApartWords(members: readonly { name: string; business?: string }[]): (string | undefined)[] {
  const wordsOf = (m: { name: string; business?: string }) => {
    const [, ...rest] = m.name.trim().split(/\s+/);
    return [...rest, ...(m.business ?? '').trim().split(/\s+/)].filter((w) => /^\p{L}[\p{L}\p{M}'’-]{1,}$/u.test(w));
  };
  const all = members.map(wordsOf);
  return all.map((words, i) => words.find((w) => all.every((other, j) => j === i || !other.some((o) => o.toLowerCase() === w.toLowerCase()))));
}
