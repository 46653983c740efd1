/**
 * Renderers: pure functions from a sealed plan to text. They format what the planner decided and
 * never decide anything themselves.
 */
import type {PlanDocument} from '../model/plan.js'
import {renderJson} from './json.js'
import {renderMarkdown} from './markdown.js'
import {renderText, renderTextPieces} from './text.js'

export type OutputFormat = 'text' | 'markdown' | 'json'

export function renderPlan(plan: PlanDocument, format: OutputFormat, options: {color: boolean}): string {
  switch (format) {
    case 'json':
      return renderJson(plan)
    case 'markdown':
      return renderMarkdown(plan)
    case 'text':
      return renderText(plan, options)
  }
}

export {renderTextPieces}
