/** Rename a feed, move it to another folder (or none), or point it at a new URL. */
import { useState, type FormEvent, type ReactElement } from 'react'
import type { Feed, FeedEdit } from '../../../shared/models'
import { call, errorMessage, getApi } from '../lib/api'
import { checkFeedUrl } from '../lib/feed-url'
import { Dialog } from './Dialog'

interface Props {
  feed: Feed
  /** Existing folder names, offered as suggestions. */
  folders: string[]
  onClose(): void
  onSaved(feed: Feed): void
}

/** Only what the user changed; an emptied name or folder clears it (null). */
function editFrom(
  feed: Feed,
  title: string,
  folder: string,
  url: string,
  fullArticle: boolean,
  notify: boolean,
): FeedEdit | { error: string } {
  const edit: FeedEdit = {}
  if (fullArticle !== feed.fullArticle) edit.fullArticle = fullArticle
  if (notify !== feed.notify) edit.notify = notify
  if (title.trim() !== (feed.title ?? '')) edit.title = title.trim() || null
  if (folder.trim() !== (feed.folder ?? '')) edit.folder = folder.trim() || null
  if (url.trim() !== feed.url) {
    const check = checkFeedUrl(url)
    if (!check.ok) return { error: check.message }
    edit.url = check.url
  }
  return edit
}

export function FeedEditDialog({ feed, folders, onClose, onSaved }: Props): ReactElement {
  const [title, setTitle] = useState(feed.title ?? '')
  const [folder, setFolder] = useState(feed.folder ?? '')
  const [url, setUrl] = useState(feed.url)
  const [fullArticle, setFullArticle] = useState(feed.fullArticle)
  const [notify, setNotify] = useState(feed.notify)
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    const edit = editFrom(feed, title, folder, url, fullArticle, notify)
    if ('error' in edit) return setError(edit.error)
    if (Object.keys(edit).length === 0) return onClose()
    setSaving(true)
    setError(null)
    try {
      onSaved(await call(() => getApi().feedsUpdate({ feedId: feed.id, ...edit })))
      onClose()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setSaving(false)
    }
  }

  return (
    <Dialog title="Edit feed" onClose={onClose} testId="feed-edit-dialog">
      <form className="settings-form" onSubmit={(e) => void save(e)} noValidate>
        <div className="grid-fields">
          <label>
            <span className="field-label">Name</span>
            <input
              type="text"
              value={title}
              dir="auto"
              placeholder="(the feed’s own title)"
              onChange={(e) => setTitle(e.target.value)}
              data-testid="feed-edit-title"
            />
          </label>
          <label>
            <span className="field-label">Folder</span>
            <input
              type="text"
              value={folder}
              list="feed-edit-folders"
              placeholder="(none)"
              onChange={(e) => setFolder(e.target.value)}
              data-testid="feed-edit-folder"
            />
            <datalist id="feed-edit-folders">
              {folders.map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
          </label>
          <label>
            <span className="field-label">Feed URL</span>
            <input
              type="url"
              value={url}
              aria-invalid={error !== null}
              onChange={(e) => setUrl(e.target.value)}
              data-testid="feed-edit-url"
            />
          </label>
        </div>
        <label className="radio">
          <input
            type="checkbox"
            checked={fullArticle}
            onChange={(e) => setFullArticle(e.target.checked)}
            data-testid="feed-edit-full-article"
          />
          <span>Always show the full article (reader view): load each article’s page</span>
        </label>
        <label className="radio">
          <input
            type="checkbox"
            checked={notify}
            onChange={(e) => setNotify(e.target.checked)}
            data-testid="feed-edit-notify"
          />
          <span>Notify me of its new articles after a background sync</span>
        </label>
        <div className="form-footer">
          <p className="field-error" role="alert" data-testid="feed-edit-error">
            {error ?? ''}
          </p>
          <button type="submit" className="btn btn-primary" disabled={saving} data-testid="feed-edit-save">
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
