// Loaded with `node --import` by end-to-end tests: registers ./forbid-aws-sdk-hooks.mjs so that the
// first import of the AWS SDK fails loudly. An offline command that runs to completion under it
// provably never loaded the SDK.
import {register} from 'node:module'

register('./forbid-aws-sdk-hooks.mjs', import.meta.url)
