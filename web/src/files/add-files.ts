import type { Dispatch } from 'react';
import { newItem, type Item, type QueueAction } from './queue.js';

let nextId = 1;

/**
 * Makes queue items for the files a person dropped, picked or pasted, and
 * measures each image in the background (the browser's own decoder): the
 * size decides between a direct request and a background job. Files the
 * browser cannot decode (TIFF, or not images at all) are still sent: the
 * service is the judge of what it accepts, and its message is shown.
 */
export function addFiles(files: Iterable<File>, dispatch: Dispatch<QueueAction>): void {
  const items: Item[] = [];
  for (const file of files) {
    const item = newItem(`f${nextId++}`, file, URL.createObjectURL(file));
    items.push(item);
  }
  if (items.length === 0) return;
  dispatch({ type: 'add', items });
  for (const item of items) {
    // Waiting for load, unlike decode(), does not ask for the pixels: the browser may leave an
    // image undecoded until it is drawn, so a batch of large photos is not all held decoded at once.
    const image = new Image();
    image.onload = () =>
      dispatch({
        type: 'size',
        id: item.id,
        size: { width: image.naturalWidth, height: image.naturalHeight },
      });
    image.onerror = () => dispatch({ type: 'size', id: item.id, size: null });
    image.src = item.originalUrl;
  }
}
