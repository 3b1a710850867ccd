/** The toolbar's "Aa": text size, line width and typeface of the reading pane, applied at once and remembered. */
import { useEffect, useId, useRef, useState, type ReactElement } from 'react'
import { useReadingStyle } from '../hooks/useReadingStyle'
import {
  LINE_WIDTHS,
  readingStyle,
  TEXT_SIZES,
  TYPEFACES,
  type LineWidth,
  type Typeface,
} from '../lib/reading-style'
import '../styles/reader-view.css'

const WIDTH_LABELS: Record<LineWidth, string> = { narrow: 'Narrow', medium: 'Medium', wide: 'Wide' }
const FONT_LABELS: Record<Typeface, string> = { serif: 'Serif', sans: 'Sans serif' }

export function ReadingStylePopover(): ReactElement {
  const style = useReadingStyle()
  const [open, setOpen] = useState(false)
  const root = useRef<HTMLDivElement>(null)
  const button = useRef<HTMLButtonElement>(null)
  const id = useId()

  // Closes on Escape (focus back on the button) and on a click anywhere else.
  useEffect(() => {
    if (!open) return
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape') return
      event.preventDefault()
      setOpen(false)
      button.current?.focus()
    }
    const onPointer = (event: PointerEvent): void => {
      if (!root.current?.contains(event.target as Node)) setOpen(false)
    }
    window.addEventListener('keydown', onKey)
    window.addEventListener('pointerdown', onPointer)
    return () => {
      window.removeEventListener('keydown', onKey)
      window.removeEventListener('pointerdown', onPointer)
    }
  }, [open])

  const size = (step: number): void =>
    readingStyle.set({
      textSize: Math.min(TEXT_SIZES.max, Math.max(TEXT_SIZES.min, style.textSize + step)),
    })

  return (
    <div className="reading-style" ref={root}>
      <button
        ref={button}
        type="button"
        className="btn btn-ghost btn-small"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        title="Text size, line width and font"
        onClick={() => setOpen((was) => !was)}
        data-testid="reading-style-button"
      >
        <span aria-hidden="true">Aa</span>
        <span className="sr-only">Text settings</span>
      </button>
      {open && (
        <div
          id={`${id}-panel`}
          className="reading-style-panel"
          role="dialog"
          aria-label="Text settings"
          data-testid="reading-style-panel"
        >
          <div className="reading-style-row" role="group" aria-labelledby={`${id}-size`}>
            <span id={`${id}-size`} className="field-label">
              Text size
            </span>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => size(-TEXT_SIZES.step)}
              disabled={style.textSize <= TEXT_SIZES.min}
              data-testid="text-smaller"
            >
              <span aria-hidden="true">A−</span>
              <span className="sr-only">Smaller text</span>
            </button>
            <output className="reading-style-size" aria-live="polite" data-testid="text-size">
              {style.textSize} px
            </output>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => size(TEXT_SIZES.step)}
              disabled={style.textSize >= TEXT_SIZES.max}
              data-testid="text-larger"
            >
              <span aria-hidden="true">A+</span>
              <span className="sr-only">Larger text</span>
            </button>
          </div>
          <fieldset className="reading-style-row">
            <legend className="field-label">Line width</legend>
            {LINE_WIDTHS.map((width) => (
              <label key={width} className="reading-style-choice">
                <input
                  type="radio"
                  name={`${id}-width`}
                  checked={style.width === width}
                  onChange={() => readingStyle.set({ width })}
                  data-testid={`width-${width}`}
                />
                {WIDTH_LABELS[width]}
              </label>
            ))}
          </fieldset>
          <fieldset className="reading-style-row">
            <legend className="field-label">Font</legend>
            {TYPEFACES.map((font) => (
              <label key={font} className="reading-style-choice">
                <input
                  type="radio"
                  name={`${id}-font`}
                  checked={style.font === font}
                  onChange={() => readingStyle.set({ font })}
                  data-testid={`font-${font}`}
                />
                {FONT_LABELS[font]}
              </label>
            ))}
          </fieldset>
        </div>
      )}
    </div>
  )
}
