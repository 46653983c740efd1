#!/usr/bin/env python3
"""Writes the live-state.json, desired state and args of the graph-* golden cases.

Digests are sha256 of a readable name, so the cases are reproducible; run from the repository root:
    python3 test/golden/graph-fixtures/generate.py && UPDATE_GOLDEN=1 npx vitest run test/golden -t graph-
"""
import hashlib, json, os

ROOT = os.path.join(os.path.dirname(__file__), '..', 'cases')
OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'
OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'
MB = 1_000_000


def d(name):
    return 'sha256:' + hashlib.sha256(name.encode()).hexdigest()


def blob(name, size):
    return {'digest': d('blob-' + name), 'sizeBytes': size}


def leaf(name, pushed, blobs, tags=(), media=DOCKER_MANIFEST, **extra):
    image = {'digest': d(name), 'tags': sorted(tags), 'pushedAt': pushed, 'sizeBytes': sum(b['sizeBytes'] for b in blobs),
             'manifestMediaType': media, 'manifest': {'mediaType': media, 'blobs': blobs}}
    image.update(extra)
    return image


def index(name, pushed, children, tags=(), media=OCI_INDEX, **extra):
    image = {'digest': d(name), 'tags': sorted(tags), 'pushedAt': pushed,
             'sizeBytes': max(c['sizeBytes'] for c in children), 'manifestMediaType': media,
             'manifest': {'mediaType': media, 'children': sorted(c['digest'] for c in children)}}
    image.update(extra)
    return image


def cosign(subject, suffix, pushed, size=2000):
    tag = 'sha256-%s.%s' % (subject['digest'][7:], suffix)
    return leaf('cosign-%s-%s' % (subject['digest'][7:19], suffix), pushed,
                [blob('cosign-config-' + tag, 300), blob('cosign-payload-' + tag, size)], tags=[tag], media=OCI_MANIFEST)


def write_case(name, now, desired_yaml, repositories):
    folder = os.path.join(ROOT, name)
    os.makedirs(os.path.join(folder, 'desired-state'), exist_ok=True)
    with open(os.path.join(folder, 'args.json'), 'w') as f:
        f.write(json.dumps({'now': now}, indent=2) + '\n')
    with open(os.path.join(folder, 'desired-state', 'main.yaml'), 'w') as f:
        f.write(desired_yaml)
    snapshot = {'kind': 'ecrctl-live-snapshot', 'formatVersion': 1, 'takenAt': now.replace('Z', '.000Z'),
                'registry': {'accountId': '123456789012', 'region': 'us-east-1'},
                'repositories': sorted(({'name': n, 'lifecyclePolicy': None, 'imagesRead': True,
                                         'images': sorted(imgs, key=lambda i: i['digest'])} for n, imgs in repositories),
                                       key=lambda r: r['name'])}
    with open(os.path.join(folder, 'live-state.json'), 'w') as f:
        f.write(json.dumps(snapshot, indent=2, sort_keys=True) + '\n')


# --- graph-multiarch: two multi-arch indexes sharing a platform manifest; v2 kept, v1 not ---------
base = blob('debian-base', 80 * MB)
shared_amd64 = leaf('web-amd64-shared', '2025-01-10T09:00:00.000Z', [blob('web-amd64-config', 5000), base, blob('web-app-v2', 40 * MB)])
v1_arm64 = leaf('web-arm64-v1', '2024-12-01T09:00:00.000Z', [blob('web-arm64-config-v1', 5000), blob('debian-base-arm64', 78 * MB), blob('web-app-v1-arm', 38 * MB)])
v2_arm64 = leaf('web-arm64-v2', '2025-01-10T09:00:01.000Z', [blob('web-arm64-config-v2', 5000), blob('debian-base-arm64', 78 * MB), blob('web-app-v2-arm', 41 * MB)])
v1_index = index('web-index-v1', '2024-12-01T09:00:02.000Z', [shared_amd64, v1_arm64], tags=['v1'], media=DOCKER_LIST)
v2_index = index('web-index-v2', '2025-01-10T09:00:02.000Z', [shared_amd64, v2_arm64], tags=['v2', 'latest'])
old_single = leaf('web-single-v0', '2024-10-01T09:00:00.000Z', [blob('web-config-v0', 5000), base, blob('web-app-v0', 35 * MB)], tags=['v0'])
write_case('graph-multiarch', '2025-02-01T12:00:00Z', '''version: 1
repositories:
  shop/web:
    keep:
      - tag: latest
        reason: the multi-arch image production pulls
''', [('shop/web', [shared_amd64, v1_arm64, v2_arm64, v1_index, v2_index, old_single])])

# --- graph-signatures: cosign .sig/.att, an OCI referrer with subject, orphans -----------------------
api_v3 = leaf('api-v3', '2025-01-20T10:00:00.000Z', [blob('api-config-v3', 4000), blob('api-layer-v3', 120 * MB)], tags=['v3'])
api_v2 = leaf('api-v2', '2024-11-20T10:00:00.000Z', [blob('api-config-v2', 4000), blob('api-layer-v2', 118 * MB)], tags=['v2'])
api_v1 = leaf('api-v1', '2024-09-20T10:00:00.000Z', [blob('api-config-v1', 4000), blob('api-layer-v1', 110 * MB)], tags=['v1'])
sig_v3 = cosign(api_v3, 'sig', '2025-01-20T10:05:00.000Z')
att_v3 = cosign(api_v3, 'att', '2025-01-20T10:06:00.000Z', size=9000)
sig_v2 = cosign(api_v2, 'sig', '2024-11-20T10:05:00.000Z')
sbom_v3 = leaf('api-v3-sbom', '2025-01-20T10:07:00.000Z', [blob('sbom-config-v3', 200), blob('sbom-v3', 60000)], media=OCI_MANIFEST,
               artifactMediaType='application/spdx+json')
sbom_v3['manifest']['subject'] = api_v3['digest']
sbom_v2 = leaf('api-v2-sbom', '2024-11-20T10:07:00.000Z', [blob('sbom-config-v2', 200), blob('sbom-v2', 58000)], media=OCI_MANIFEST,
               artifactMediaType='application/spdx+json', subjectDigest=api_v2['digest'])
gone = {'digest': d('api-v0-deleted-long-ago')}
sig_gone = cosign(gone, 'sig', '2024-06-01T10:05:00.000Z')
# a signature a keep rule matches: it keeps its subject (api-v1), which no rule keeps
sig_v1 = cosign(api_v1, 'sig', '2024-09-20T10:05:00.000Z')
write_case('graph-signatures', '2025-02-01T12:00:00Z', '''version: 1
repositories:
  shop/api:
    keep:
      - tag: v3
        reason: production
      - tag: "sha256-%s.sig"
        reason: audit asked to keep the v1 signature
''' % api_v1['digest'][7:], [('shop/api', [api_v3, api_v2, api_v1, sig_v3, att_v3, sig_v2, sbom_v3, sbom_v2, sig_gone, sig_v1])])

# --- graph-unparseable-manifest: one index manifest could not be parsed: fail closed ----------------
worker_new = leaf('worker-new', '2025-01-25T08:00:00.000Z', [blob('worker-config-new', 3000), blob('worker-layer-new', 90 * MB)], tags=['stable'])
worker_amd64 = leaf('worker-amd64-old', '2024-10-01T08:00:00.000Z', [blob('worker-config-amd64', 3000), blob('worker-layer-amd64', 88 * MB)], tags=['2024-10-amd64'])
worker_untagged = leaf('worker-untagged', '2024-10-01T08:00:01.000Z', [blob('worker-config-untagged', 3000), blob('worker-layer-untagged', 87 * MB)])
broken = {'digest': d('worker-index-broken'), 'tags': ['2024-10'], 'pushedAt': '2024-10-01T08:00:02.000Z', 'sizeBytes': 88 * MB,
          'manifestMediaType': DOCKER_LIST, 'manifestError': 'manifest is not JSON: Unexpected end of JSON input'}
old_tools = leaf('tools-old', '2024-08-01T08:00:00.000Z', [blob('tools-config', 3000), blob('tools-layer', 20 * MB)])
write_case('graph-unparseable-manifest', '2025-02-01T12:00:00Z', '''version: 1
repositories:
  shop/worker:
    keep:
      - tag: stable
  shop/tools:
    keep: []
''', [('shop/worker', [worker_new, worker_amd64, worker_untagged, broken]), ('shop/tools', [old_tools])])

# --- graph-archived: archived images follow the same rules; recent archive carries a note ----------
ml_new = leaf('ml-new', '2025-01-28T08:00:00.000Z', [blob('ml-config-new', 3000), blob('ml-layer-new', 900 * MB)], tags=['latest'])
ml_recent = leaf('ml-archived-recent', '2024-06-01T08:00:00.000Z', [blob('ml-config-r', 3000), blob('ml-layer-r', 850 * MB)], tags=['2024-06'],
                 status='ARCHIVED', lastArchivedAt='2025-01-12T00:00:00.000Z')
ml_old = leaf('ml-archived-old', '2024-03-01T08:00:00.000Z', [blob('ml-config-o', 3000), blob('ml-layer-o', 800 * MB)], tags=['2024-03'],
              status='ARCHIVED', lastArchivedAt='2024-09-01T00:00:00.000Z')
ml_amd = leaf('ml-pinned-amd64', '2024-05-01T08:00:00.000Z', [blob('ml-config-p', 3000), blob('ml-layer-p', 820 * MB)],
              status='ARCHIVED', lastArchivedAt='2024-10-01T00:00:00.000Z')
ml_pinned = index('ml-pinned-index', '2024-05-01T08:00:01.000Z', [ml_amd], tags=['pinned'])
write_case('graph-archived', '2025-02-01T12:00:00Z', '''version: 1
repositories:
  ml/train:
    keep:
      - tag: latest
      - tag: pinned
        reason: reproducing the 2024 paper
''', [('ml/train', [ml_new, ml_recent, ml_old, ml_amd, ml_pinned])])
