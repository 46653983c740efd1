/**
 * Small words every part of ecrctl's output shares, so one idea reads the same in a plan, a
 * refusal, an apply log line and a preview.
 */

/** "1 image", "3 images", "2 repositories" (pass the plural when it is not singular + s). */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`
}

/**
 * What ecrctl prints for an image without tags. `<` never appears in an ECR tag, so it cannot be
 * read as a tag named "untagged" (docker prints `<none>` for the same reason).
 */
export const UNTAGGED = '<untagged>'

/** An image's tags as a list: "latest, v2", or `<untagged>`. */
export function tagsText(tags: readonly string[]): string {
  return tags.length === 0 ? UNTAGGED : tags.join(', ')
}

/** An image's tags in a sentence: "tag v2", "tags latest, v2", or `<untagged>`. */
export function describeTags(tags: readonly string[]): string {
  if (tags.length === 0) return UNTAGGED
  return `${tags.length === 1 ? 'tag' : 'tags'} ${tags.join(', ')}`
}
