/**
 * Live progress of `ecrctl apply` in a terminal: one line per repository. The bytes are the sum
 * of the deleted images' sizes, not storage freed: layers other images share stay (the plan has
 * the unique-bytes figure), and they are labelled as the plan labels them.
 *
 *   ✔ spaceport/3dgs     3/3    3 deleted, sum of image sizes 310.0 MB
 *   … spaceport/sfm     40/120 40 deleted, sum of image sizes 1.2 GB  1 failed
 */
import {Box, Text} from 'ink'
import {freedBytesText} from '../util/bytes.js'
import {printable} from '../util/printable.js'
import type {ProgressState} from './progress-state.js'

export function ApplyProgress({progress}: {progress: ProgressState}) {
  const width = Math.max(10, ...progress.map((row) => printable(row.repository).length))
  return (
    <Box flexDirection="column">
      {progress.map((row) => (
        <Text key={row.repository}>
          {row.finished ? <Text color={row.failed > 0 ? 'red' : 'green'}>{row.failed > 0 ? '✘' : '✔'}</Text> : <Text color="yellow">…</Text>}{' '}
          {printable(row.repository).padEnd(width)} {`${row.done}/${row.total}`.padStart(9)} {String(row.deleted).padStart(5)} deleted,{' '}
          {freedBytesText(row.imageSizeBytesDeleted, undefined)}
          {row.skipped > 0 ? <Text color="yellow">{`  ${row.skipped} skipped (stale)`}</Text> : null}
          {row.failed > 0 ? <Text color="red">{`  ${row.failed} failed`}</Text> : null}
        </Text>
      ))}
    </Box>
  )
}
