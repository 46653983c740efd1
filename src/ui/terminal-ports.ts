/**
 * The terminal side of `ecrctl apply`: the confirmation prompt and the progress sinks the apply
 * session (src/apply/session.ts) is given. Ink and React are imported only when a live view is
 * drawn, so a CI run with plain lines never loads them.
 */
import type {ConfirmPort, ProgressSink} from '../apply/session.js'
import type {ApplyEvent} from '../model/apply-events.js'
import type {ProgressState} from './progress-state.js'

/** Asks on the terminal (the Ink confirmation screen); not interactive unless stdin and stdout are terminals. */
export function terminalConfirm(stdin: {isTTY?: boolean} = process.stdin, stdout: {isTTY?: boolean} = process.stdout): ConfirmPort {
  return {
    interactive: Boolean(stdin.isTTY && stdout.isTTY),
    async ask(registry, rows, expectedAnswer) {
      const [{render}, {createElement}, {ConfirmApply}] = await Promise.all([import('ink'), import('react'), import('./ConfirmApply.js')])
      return new Promise<boolean>((resolve) => {
        const instance = render(
          createElement(ConfirmApply, {
            registry,
            rows,
            expectedAnswer,
            onDecision: (confirmed: boolean) => {
              // Let Ink draw the final frame ("confirmed"/"cancelled") before leaving.
              setTimeout(() => {
                instance.unmount()
                resolve(confirmed)
              }, 0)
            },
          }),
          {exitOnCtrlC: false},
        )
      })
    },
  }
}

/** One line per event, worded by `format` (src/render/apply-progress.ts), for CI logs and pipes. */
export function lineProgress(stream: NodeJS.WritableStream, format: (event: ApplyEvent) => string | undefined): ProgressSink {
  return {
    onEvent(event) {
      const line = format(event)
      if (line) stream.write(`${line}\n`)
    },
    async finish() {},
  }
}

/** The live per-repository view (src/ui/ApplyProgress.tsx), redrawn on every event. */
export async function liveProgress(): Promise<ProgressSink> {
  const [{render}, {createElement}, {ApplyProgress}, {reduceProgress}] = await Promise.all([
    import('ink'),
    import('react'),
    import('./ApplyProgress.js'),
    import('./progress-state.js'),
  ])
  let state: ProgressState = []
  const instance = render(createElement(ApplyProgress, {progress: state}), {exitOnCtrlC: false, patchConsole: false})
  return {
    onEvent(event) {
      state = reduceProgress(state, event)
      instance.rerender(createElement(ApplyProgress, {progress: state}))
    },
    async finish() {
      instance.unmount()
    },
  }
}
