/** A modal built on <dialog>: focus trapping, Esc to close and a backdrop come from the browser. */
import { useEffect, useLayoutEffect, useRef, type ReactElement, type ReactNode } from 'react'
import { CloseIcon } from './Icons'

interface Props {
  title: string
  onClose(): void
  children: ReactNode
  testId?: string
  wide?: boolean
}

export function Dialog({ title, onClose, children, testId, wide }: Props): ReactElement {
  const ref = useRef<HTMLDialogElement>(null)
  const close = useRef(onClose)
  useLayoutEffect(() => {
    close.current = onClose
  })

  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (!dialog.open) dialog.showModal()
    const onCancel = (event: Event): void => {
      event.preventDefault()
      close.current()
    }
    dialog.addEventListener('cancel', onCancel)
    return () => {
      dialog.removeEventListener('cancel', onCancel)
      if (dialog.open) dialog.close()
    }
  }, [])

  return (
    <dialog
      ref={ref}
      className={`dialog${wide ? ' wide' : ''}`}
      aria-label={title}
      data-testid={testId}
      onClick={(event) => {
        if (event.target === ref.current) close.current()
      }}
    >
      <div className="dialog-inner">
        <header className="dialog-header">
          <h2>{title}</h2>
          <button type="button" className="icon-btn" aria-label="Close" onClick={() => close.current()}>
            <CloseIcon />
          </button>
        </header>
        <div className="dialog-body">{children}</div>
      </div>
    </dialog>
  )
}
