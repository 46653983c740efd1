// Module resolve hook (see ./forbid-aws-sdk.mjs): any @aws-sdk/* or @smithy/* specifier throws.
export async function resolve(specifier, context, nextResolve) {
  if (/^@(aws-sdk|smithy)\//.test(specifier)) {
    throw new Error(`FORBIDDEN: the AWS SDK was imported (${specifier}) in a run that must stay offline`)
  }
  return nextResolve(specifier, context)
}
