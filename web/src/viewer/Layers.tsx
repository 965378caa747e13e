import { useEffect, useRef, type CSSProperties } from 'react';
import { parseSafeSvg } from './svg-markup.js';
import { PIXELATED_FROM, type Size, type View } from './zoom-math.js';

interface LayerProps {
  readonly view: View;
  readonly size: Size;
}

function boxStyle({ view, size }: LayerProps): CSSProperties {
  return {
    width: `${size.width * view.zoom}px`,
    height: `${size.height * view.zoom}px`,
    transform: `translate(${view.x}px, ${view.y}px)`,
  };
}

/** The original image, sampled nearest-neighbour when zoomed in so its real pixels show. */
export function OriginalLayer(
  props: LayerProps & { readonly src: string; readonly faded?: boolean; readonly peek?: boolean },
) {
  const pixelated = props.view.zoom >= PIXELATED_FROM;
  return (
    <img
      className={`layer${pixelated ? ' is-pixelated' : ''}${props.faded ? ' is-faded' : ''}${props.peek ? ' layer-peek' : ''}`}
      src={props.src}
      alt=""
      draggable={false}
      style={boxStyle(props)}
    />
  );
}

/** The SVG result as an image: vector, so it stays sharp at any zoom. */
export function SvgLayer(
  props: LayerProps & { readonly src: string; readonly label: string; readonly covered?: boolean },
) {
  return (
    <img
      className={`layer layer-svg${props.covered ? ' is-covered' : ''}`}
      src={props.src}
      alt={props.label}
      draggable={false}
      style={boxStyle(props)}
    />
  );
}

/**
 * The paths of the SVG drawn as thin outlines (fill none, a one-pixel
 * non-scaling stroke set in CSS), over the faded original, so a person can
 * see where each node and curve lies.
 */
export function OutlineLayer(props: LayerProps & { readonly svg: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = parseSafeSvg(props.svg);
    if (element) element.setAttribute('preserveAspectRatio', 'xMidYMid meet');
    host.current?.replaceChildren(...(element ? [element] : []));
  }, [props.svg]);
  return (
    <div
      ref={host}
      className="layer layer-outline"
      role="img"
      aria-label="SVG paths as outlines"
      style={boxStyle(props)}
    />
  );
}
