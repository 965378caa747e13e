import { useEffect, useRef, useState } from 'react';

interface ApiKeyDialogProps {
  readonly open: boolean;
  /** Why the dialog opened: the service's 401 message, or null when the person opened it. */
  readonly reason: string | null;
  readonly apiKey: string;
  readonly onSave: (key: string) => void;
  readonly onClose: () => void;
}

/** A modal dialog (native <dialog>: focus stays inside, Escape closes) to enter, change or forget the API key. */
export function ApiKeyDialog({ open, reason, apiKey, onSave, onClose }: ApiKeyDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [draft, setDraft] = useState(apiKey);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      setDraft(apiKey);
      element.showModal();
    } else if (!open && element.open) {
      element.close();
    }
  }, [open, apiKey]);

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="api-key-title" onClose={onClose}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          onSave(draft.trim());
        }}
      >
        <h2 id="api-key-title">{reason ? 'This service needs an API key' : 'API key'}</h2>
        {reason && (
          <p className="dialog-reason" role="alert">
            {reason}
          </p>
        )}
        <label htmlFor="api-key-input">API key</label>
        <input
          id="api-key-input"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={draft}
          aria-describedby="api-key-help"
          onChange={(e) => setDraft(e.currentTarget.value)}
        />
        <p id="api-key-help" className="help">
          Kept in this browser only and sent in the X-API-Key header, never in a URL.
        </p>
        <div className="dialog-actions">
          {apiKey !== '' && (
            <button type="button" className="button button-quiet" onClick={() => onSave('')}>
              Forget key
            </button>
          )}
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary">
            Save key
          </button>
        </div>
      </form>
    </dialog>
  );
}
