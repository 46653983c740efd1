import {Flags} from '@oclif/core'
import {EcrctlCommand} from './_shared/command-base.js'
import {connectionFlags, connectionOptionsFromFlags, manifestsFlag} from './_shared/command-flags.js'

export interface SnapshotResult {
  out?: string
  repositories: number
  repositoriesRead: number
  images: number
}

export default class Snapshot extends EcrctlCommand {
  static override summary = 'Read the live registry and write it as a JSON snapshot.'
  static override description =
    'Reads every repository, and the images, lifecycle policy and manifests of the repositories the desired ' +
    'state manages (or of all repositories with --all). Every manifest is read by default, for unique-bytes savings; ' +
    '--manifests references reads only those that can reference other images (faster). ' +
    '`ecrctl plan --live-state FILE` plans offline from the result.'
  static override examples = [
    '<%= config.bin %> snapshot --out live-state.json',
    '<%= config.bin %> snapshot -f desired-state/ --region us-east-1 --profile prod',
    '<%= config.bin %> snapshot --all --endpoint-url http://127.0.0.1:5000 --out live.json',
  ]

  static override flags = {
    file: Flags.string({
      char: 'f',
      summary: 'Desired-state file or directory; its entries decide which repositories’ images are read.',
      default: 'desired-state/',
    }),
    all: Flags.boolean({summary: 'Read the images of every repository, managed or not (no desired state needed).'}),
    out: Flags.string({char: 'o', summary: 'Write the snapshot to this file instead of stdout.'}),
    manifests: manifestsFlag,
    ...connectionFlags,
  }

  async run(): Promise<SnapshotResult> {
    const {flags} = await this.parse(Snapshot)
    let isManaged: (name: string) => boolean = () => true
    if (!flags.all) {
      const [{loadDesiredState}, entries] = await Promise.all([import('../desired/load.js'), import('../model/desired-entries.js')])
      const desired = await loadDesiredState(flags.file)
      isManaged = (name) => entries.isManaged(desired, name)
    }

    const [{createEcrClient}, {readLiveSnapshot}, {serializeSnapshot, writeSnapshotFile}] = await Promise.all([
      import('../registry/client.js'),
      import('../registry/read.js'),
      import('../registry/snapshot-file.js'),
    ])
    const client = createEcrClient(connectionOptionsFromFlags(flags))
    const showProgress = Boolean(process.stderr.isTTY)
    try {
      const snapshot = await readLiveSnapshot(client, {
        isManaged,
        concurrency: flags.concurrency,
        readManifests: flags.manifests as 'references' | 'all' | 'none',
        onProgress: showProgress
          ? (event) => {
              if (event.type === 'repository-read') process.stderr.write(`\rread ${event.done}/${event.total} repositories`)
            }
          : undefined,
      })
      if (showProgress) process.stderr.write('\r\x1b[K')
      const result: SnapshotResult = {
        repositories: snapshot.repositories.length,
        repositoriesRead: snapshot.repositories.filter((repository) => repository.imagesRead).length,
        images: snapshot.repositories.reduce((sum, repository) => sum + repository.images.length, 0),
      }
      if (flags.out) {
        await writeSnapshotFile(flags.out, snapshot)
        result.out = flags.out
        this.logToStderr(
          `Wrote ${flags.out}: ${result.repositories} repositories (${result.repositoriesRead} read, ${result.images} images) ` +
            `in account ${snapshot.registry.accountId}, ${snapshot.registry.region}.`,
        )
      } else {
        process.stdout.write(serializeSnapshot(snapshot))
      }
      return result
    } finally {
      client.destroy()
    }
  }
}
