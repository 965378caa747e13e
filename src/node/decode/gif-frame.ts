/**
 * A GIF's first frame rectangle. A GIF has a logical screen (its canvas) and
 * frames placed on it; libvips decodes the whole screen, so a 16 x 16 frame
 * on a 2000 x 2000 screen would come out as a 2000 x 2000 image of mostly
 * nothing (and is refused, or costs, by the screen's size). We convert the
 * first frame at its own size: its rectangle is read here, from the header,
 * without decoding.
 */

export interface FrameRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface GifLayout {
  screenWidth: number;
  screenHeight: number;
  frame: FrameRect;
}

/** The logical screen and the first image descriptor of a GIF, or null when they cannot be read. */
export function readGifLayout(bytes: Uint8Array): GifLayout | null {
  if (bytes.length < 13) return null;
  const u16 = (at: number) => bytes[at] | (bytes[at + 1] << 8);
  const screenWidth = u16(6);
  const screenHeight = u16(8);
  const packed = bytes[10];
  let at = 13;
  if (packed & 0x80) at += 3 * (1 << ((packed & 7) + 1));
  while (at < bytes.length) {
    const block = bytes[at];
    if (block === 0x2c) {
      if (at + 10 > bytes.length) return null;
      const frame = { left: u16(at + 1), top: u16(at + 3), width: u16(at + 5), height: u16(at + 7) };
      return { screenWidth, screenHeight, frame };
    }
    if (block !== 0x21) return null;
    // An extension: label, then data sub-blocks until a zero length.
    at += 2;
    while (at < bytes.length && bytes[at] !== 0) at += bytes[at] + 1;
    at += 1;
  }
  return null;
}

/**
 * The rectangle to cut from a decoded canvas of `width` x `height` so that the image is the first frame,
 * or null when the canvas is the frame already (or the layout is not one we can trust).
 */
export function gifFrameCrop(bytes: Uint8Array, width: number, height: number): FrameRect | null {
  const layout = readGifLayout(bytes);
  if (!layout) return null;
  const { frame } = layout;
  if (width !== layout.screenWidth || height !== layout.screenHeight) return null;
  if (frame.width === 0 || frame.height === 0) return null;
  if (frame.left + frame.width > width || frame.top + frame.height > height) return null;
  if (frame.width === width && frame.height === height) return null;
  return frame;
}
