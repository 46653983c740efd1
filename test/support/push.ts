/**
 * Push real manifests through the ECR API (PutImage), the way `docker push` / `crane` /
 * `cosign` leave them: Docker schema 2 and OCI image manifests, image indexes / manifest lists
 * (children pushed first), OCI referrers with a `subject`, cosign `sha256-<hex>.sig` tags.
 * Digests are computed here from the exact bytes and checked against what the registry says.
 */
import {createHash} from 'node:crypto'
import {CreateRepositoryCommand, ECRClient, PutImageCommand, PutLifecyclePolicyCommand} from '@aws-sdk/client-ecr'

export const MEDIA = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
  cosignSignature: 'application/vnd.dev.cosign.simplesigning.v1+json',
} as const

export const sha256 = (text: string): string => 'sha256:' + createHash('sha256').update(text, 'utf8').digest('hex')

export interface Manifest {
  text: string
  mediaType: string
  digest: string
}

export interface Blob {
  mediaType: string
  digest: string
  size: number
}

export function testEcrClient(endpoint: string, region = 'us-east-1'): ECRClient {
  return new ECRClient({
    endpoint,
    region,
    credentials: {accessKeyId: 'test', secretAccessKey: 'test'},
    maxAttempts: 3,
  })
}

const manifest = (doc: object, mediaType: string): Manifest => {
  const text = JSON.stringify(doc)
  return {text, mediaType, digest: sha256(text)}
}

/** A blob descriptor whose digest is unique to (seed, name) unless `shared` names it. */
export const blob = (mediaType: string, seed: string, size: number): Blob => ({mediaType, size, digest: sha256(`blob:${seed}`)})

export interface ImageSpec {
  /** Makes the content (and so the digest) unique; same seed + sizes = same manifest. */
  seed: string
  /** Compressed layer sizes in bytes; default one 1 KiB layer. */
  layerSizes?: number[]
  /** Extra layers by exact descriptor, e.g. a base layer shared with other images. */
  sharedLayers?: Blob[]
  configSize?: number
}

export function dockerImageManifest(spec: ImageSpec): Manifest {
  return manifest(
    {
      schemaVersion: 2,
      mediaType: MEDIA.dockerManifest,
      config: blob(MEDIA.dockerConfig, `${spec.seed}/config`, spec.configSize ?? 1469),
      layers: [
        ...(spec.sharedLayers ?? []),
        ...(spec.layerSizes ?? [1024]).map((size, i) => blob(MEDIA.dockerLayer, `${spec.seed}/layer${i}`, size)),
      ],
    },
    MEDIA.dockerManifest,
  )
}

export function ociImageManifest(spec: ImageSpec & {subject?: Manifest; artifactType?: string}): Manifest {
  const doc: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    config: blob(MEDIA.ociConfig, `${spec.seed}/config`, spec.configSize ?? 1469),
    layers: [
      ...(spec.sharedLayers ?? []),
      ...(spec.layerSizes ?? [1024]).map((size, i) => blob(MEDIA.ociLayer, `${spec.seed}/layer${i}`, size)),
    ],
  }
  if (spec.artifactType) doc.artifactType = spec.artifactType
  if (spec.subject) doc.subject = {mediaType: spec.subject.mediaType, digest: spec.subject.digest, size: Buffer.byteLength(spec.subject.text)}
  return manifest(doc, MEDIA.ociManifest)
}

export function imageIndexManifest(children: Array<{manifest: Manifest; architecture: string}>, kind: 'oci' | 'docker' = 'oci'): Manifest {
  const mediaType = kind === 'oci' ? MEDIA.ociIndex : MEDIA.dockerManifestList
  return manifest(
    {
      schemaVersion: 2,
      mediaType,
      manifests: children.map(({manifest: child, architecture}) => ({
        mediaType: child.mediaType,
        digest: child.digest,
        size: Buffer.byteLength(child.text),
        platform: {architecture, os: 'linux'},
      })),
    },
    mediaType,
  )
}

export async function createRepository(client: ECRClient, name: string, lifecyclePolicy?: string): Promise<void> {
  await client.send(new CreateRepositoryCommand({repositoryName: name}))
  if (lifecyclePolicy) await client.send(new PutLifecyclePolicyCommand({repositoryName: name, lifecyclePolicyText: lifecyclePolicy}))
}

/** PutImage once per tag (once untagged when `tags` is empty); returns the digest. */
export async function pushManifest(client: ECRClient, repository: string, pushed: Manifest, tags: string[] = []): Promise<string> {
  for (const tag of tags.length > 0 ? tags : [undefined]) {
    const result = await client.send(
      new PutImageCommand({
        repositoryName: repository,
        imageManifest: pushed.text,
        imageManifestMediaType: pushed.mediaType,
        imageTag: tag,
      }),
    )
    const reported = result.image?.imageId?.imageDigest
    if (reported !== pushed.digest) {
      throw new Error(`registry reported digest ${reported} for ${repository}, expected sha256 of the bytes ${pushed.digest}`)
    }
  }
  return pushed.digest
}

export async function pushImage(
  client: ECRClient,
  repository: string,
  spec: ImageSpec & {tags?: string[]; format?: 'docker' | 'oci'},
): Promise<Manifest> {
  const image = spec.format === 'oci' ? ociImageManifest(spec) : dockerImageManifest(spec)
  await pushManifest(client, repository, image, spec.tags)
  return image
}

/** Pushes the platform manifests (untagged) first, then the index with `tags`. */
export async function pushIndex(
  client: ECRClient,
  repository: string,
  spec: {seed: string; architectures?: string[]; tags?: string[]; kind?: 'oci' | 'docker'; children?: Manifest[]},
): Promise<{index: Manifest; children: Manifest[]}> {
  const kind = spec.kind ?? 'oci'
  const architectures = spec.architectures ?? ['amd64', 'arm64']
  const children =
    spec.children ??
    architectures.map((architecture) =>
      kind === 'oci' ? ociImageManifest({seed: `${spec.seed}/${architecture}`}) : dockerImageManifest({seed: `${spec.seed}/${architecture}`}),
    )
  for (const child of children) await pushManifest(client, repository, child)
  const index = imageIndexManifest(
    children.map((child, i) => ({manifest: child, architecture: architectures[i] ?? `arch${i}`})),
    kind,
  )
  await pushManifest(client, repository, index, spec.tags)
  return {index, children}
}

/** An OCI 1.1 referrer (e.g. an SBOM) whose `subject` is `subject`. */
export async function pushReferrer(
  client: ECRClient,
  repository: string,
  subject: Manifest,
  spec: {seed: string; artifactType?: string; tags?: string[]},
): Promise<Manifest> {
  const referrer = ociImageManifest({
    seed: spec.seed,
    layerSizes: [256],
    subject,
    artifactType: spec.artifactType ?? 'application/spdx+json',
  })
  await pushManifest(client, repository, referrer, spec.tags)
  return referrer
}

/** cosign's pre-OCI-1.1 layout: a signature manifest tagged `sha256-<hex of subject>.sig`. */
export const cosignSignatureTag = (subjectDigest: string): string => `${subjectDigest.replace(':', '-')}.sig`

export async function pushCosignSignature(client: ECRClient, repository: string, subjectDigest: string, seed: string): Promise<Manifest> {
  const signature = manifest(
    {
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: blob(MEDIA.ociConfig, `${seed}/sig-config`, 233),
      layers: [{...blob(MEDIA.cosignSignature, `${seed}/sig`, 244), annotations: {'dev.cosignproject.cosign/signature': seed}}],
    },
    MEDIA.ociManifest,
  )
  await pushManifest(client, repository, signature, [cosignSignatureTag(subjectDigest)])
  return signature
}
