/**
 * Manifest media types and what they say about references. One table for the reader (which
 * manifests to fetch) and the image graph (what an unread manifest might reference): if the two
 * disagreed, the reader could skip a manifest the planner needs.
 */
export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const

/** Image manifests that can reference no other image: no children, no `subject`. */
export const LEAF_MEDIA_TYPES: ReadonlySet<string> = new Set([
  MEDIA_TYPES.dockerManifest,
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
])

/** Media types whose manifest lists other manifests (platform children). */
export const isIndexMediaType = (mediaType: string | undefined): boolean =>
  mediaType === MEDIA_TYPES.ociIndex || mediaType === MEDIA_TYPES.dockerManifestList
