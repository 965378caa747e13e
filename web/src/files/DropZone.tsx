import { useRef } from 'react';

interface DropZoneProps {
  readonly onFiles: (files: File[]) => void;
  readonly compact: boolean;
  readonly dragging: boolean;
}

/** The place to start: pick files, or drop or paste them (the whole page accepts a drop). */
export function DropZone({ onFiles, compact, dragging }: DropZoneProps) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className={`dropzone${compact ? ' is-compact' : ''}${dragging ? ' is-dragging' : ''}`}>
      <input
        ref={input}
        id="file-input"
        className="sr-only"
        type="file"
        multiple
        accept="image/*,.tif,.tiff,.bmp"
        tabIndex={-1}
        aria-label="Images to convert"
        onChange={(e) => {
          onFiles([...(e.currentTarget.files ?? [])]);
          e.currentTarget.value = '';
        }}
      />
      {!compact && (
        <svg className="dropzone-icon" viewBox="0 0 48 48" aria-hidden="true">
          <path d="M24 31V11m0 0-8 8m8-8 8 8M9 29v6a4 4 0 0 0 4 4h22a4 4 0 0 0 4-4v-6" />
        </svg>
      )}
      <button type="button" className="button button-primary" onClick={() => input.current?.click()}>
        {compact ? 'Add images' : 'Choose images'}
      </button>
      <p className="dropzone-text">
        {compact ? 'or drop or paste more' : 'or drop them anywhere on the page, or paste from the clipboard'}
      </p>
      {!compact && <p className="hint">PNG, JPEG, GIF, BMP, TIFF or WebP · one image or a whole batch</p>}
    </div>
  );
}
