/**
 * The confirmation screen of `ecrctl apply` in a terminal. Props in, one callback out; whether to
 * show it and what must be typed are decided by src/apply/confirm.ts.
 *
 *   ecrctl apply will change registry 123456789012 (us-east-1):
 *     spaceport/sfm     12 images  sum of image sizes 1.2 GB; unique bytes freed 310.0 MB   lifecycle policy: put
 *     spaceport/3dgs     3 images  sum of image sizes 310.0 MB
 *   Type the account id 123456789012 to delete 15 images (anything else cancels):
 *   > 1234_
 */
import {Box, Text, useInput} from 'ink'
import {useRef, useState} from 'react'
import type {RepositoryChangeSummary} from '../apply/confirm.js'
import {addTypedChunk, answerConfirms} from '../apply/confirm.js'
import {freedBytesText} from '../util/bytes.js'
import {printable} from '../util/printable.js'
import {plural} from '../util/words.js'

export interface ConfirmApplyProps {
  registry: {accountId: string; region: string}
  rows: RepositoryChangeSummary[]
  expectedAnswer: string
  onDecision(confirmed: boolean): void
}

export function ConfirmApply({registry, rows, expectedAnswer, onDecision}: ConfirmApplyProps) {
  const [typed, setTyped] = useState('')
  // The input handler can run before React re-renders with the latest text (fast typing, paste):
  // read and write the answer through a ref so no keystroke is lost or judged stale.
  const typedRef = useRef('')
  const decidedRef = useRef<boolean | undefined>(undefined)
  const [decided, setDecided] = useState<boolean | undefined>(undefined)
  const update = (next: string): void => {
    typedRef.current = next
    setTyped(next)
  }
  const decide = (confirmed: boolean): void => {
    decidedRef.current = confirmed
    setDecided(confirmed)
    onDecision(confirmed)
  }
  const images = rows.reduce((sum, row) => sum + row.imagesToDelete, 0)
  const width = Math.max(...rows.map((row) => printable(row.repository).length), 10)

  useInput((input, key) => {
    if (decidedRef.current !== undefined) return
    if (key.return) decide(answerConfirms(expectedAnswer, typedRef.current))
    else if (key.escape || (key.ctrl && input === 'c')) decide(false)
    else if (key.backspace || key.delete) update(typedRef.current.slice(0, -1))
    else if (input && !key.ctrl && !key.meta) {
      const {typed: next, entered} = addTypedChunk(typedRef.current, input)
      update(next)
      if (entered) decide(answerConfirms(expectedAnswer, next))
    }
  })

  const question =
    images > 0
      ? `Type the account id ${expectedAnswer} to delete ${plural(images, 'image')} (anything else cancels):`
      : `Type yes to apply the lifecycle policy changes (anything else cancels):`
  return (
    <Box flexDirection="column">
      <Text>
        ecrctl apply will change registry <Text bold>{printable(registry.accountId)}</Text> ({printable(registry.region)}):
      </Text>
      {rows
        .filter((row) => row.imagesToDelete > 0 || row.policyChange)
        .map((row) => (
          <Text key={row.repository}>
            {'  '}
            {printable(row.repository).padEnd(width)} {String(row.imagesToDelete).padStart(5)} {row.imagesToDelete === 1 ? 'image ' : 'images'}
            {row.imagesToDelete > 0 ? `  ${freedBytesText(row.imageSizeBytesToDelete, row.uniqueBytesFreed)}` : ''}
            {row.policyChange ? `   lifecycle policy: ${row.policyChange}` : ''}
          </Text>
        ))}
      <Text>{question}</Text>
      <Text>
        {'> '}
        {typed}
        {decided === undefined ? <Text inverse> </Text> : decided ? <Text color="green"> confirmed</Text> : <Text color="red"> cancelled</Text>}
      </Text>
    </Box>
  )
}
