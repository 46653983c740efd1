#!/usr/bin/env node
import {flush, handle, run} from '@oclif/core'

// oclif exits 2 on usage errors that happen before a command runs (an unknown command or topic,
// `help` for one); `plan --detailed-exitcode` uses 2 for "changes present", so a CI script would
// read a typo as a plan. Every error exits 1; only a command's own chosen exit code (EEXIT) stays.
// (Errors inside a command are mapped the same way by src/command-base.ts.)
await run(process.argv.slice(2), import.meta.url)
  .then(() => flush())
  .catch((error) => {
    if (error?.code !== 'EEXIT' && error?.oclif?.exit === 2) error.oclif.exit = 1
    return handle(error)
  })
