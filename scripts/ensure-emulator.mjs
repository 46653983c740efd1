// Makes sure the ECR emulator can start before the integration tests need it: python3 with
// moto 5.2.1 (the emulator patches moto's internals and refuses any other version). Installs it
// with pip when missing; if that is impossible, stops with the command to run by hand.
import {spawnSync} from 'node:child_process'

const REQUIRED = '5.2.1'
const python = process.env.PYTHON ?? 'python3'

function motoVersion() {
  const probe = spawnSync(python, ['-c', 'import moto, flask, werkzeug; print(moto.__version__)'], {encoding: 'utf8'})
  if (probe.error) return {missing: `${python} was not found (${probe.error.message})`}
  if (probe.status !== 0) return {missing: probe.stderr.trim().split('\n').pop()}
  return {version: probe.stdout.trim()}
}

let found = motoVersion()
if (found.version !== REQUIRED) {
  console.log(`ECR emulator: need moto ${REQUIRED} for ${python}; found ${found.version ?? found.missing}. Installing it with pip…`)
  const install = spawnSync(python, ['-m', 'pip', 'install', '--quiet', `moto[server]==${REQUIRED}`], {stdio: 'inherit'})
  found = motoVersion()
  if (install.status !== 0 || found.version !== REQUIRED) {
    console.error(
      `Error: the integration tests need the ECR emulator, which needs python3 with moto ${REQUIRED}, and installing it failed. ` +
        `Install it with: ${python} -m pip install 'moto[server]==${REQUIRED}' (or set PYTHON to a python3 that has it), then run the tests again.`,
    )
    process.exit(1)
  }
}
console.log(`ECR emulator: ${python} has moto ${found.version}`)
