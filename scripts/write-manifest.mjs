// Writes oclif.manifest.json so that `ecrctl <command>` loads only that command's module:
// without the manifest oclif imports every command (and so ink and the AWS SDK) at start-up.
// This is what `oclif manifest` does, without pulling the oclif packaging CLI into devDependencies.
import {Plugin} from '@oclif/core'
import {writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const plugin = new Plugin({root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true})
await plugin.load()
writeFileSync(new URL('../oclif.manifest.json', import.meta.url), JSON.stringify(plugin.manifest, null, 2) + '\n')
console.log(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands`)
