/** How much of the picture each colour paints, measured in the browser. */

/** Share of the picture's area painted by each colour, from the SVG drawn small (counts each pixel's nearest fill). */
export async function areaShares(svgUrl: string, colours: readonly string[], side = 160): Promise<number[]> {
  const image = new Image();
  image.src = svgUrl;
  await image.decode();
  const k = side / Math.max(image.naturalWidth || side, image.naturalHeight || side);
  const w = Math.max(1, Math.round((image.naturalWidth || side) * k));
  const h = Math.max(1, Math.round((image.naturalHeight || side) * k));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) return colours.map(() => 0);
  context.drawImage(image, 0, 0, w, h);
  const { data } = context.getImageData(0, 0, w, h);
  const rgb = colours.map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));
  const counts = colours.map(() => 0);
  let painted = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] < 128) continue;
    painted++;
    let best = 0;
    let bestDistance = Infinity;
    rgb.forEach(([r, g, b], j) => {
      const distance = (data[i] - r) ** 2 + (data[i + 1] - g) ** 2 + (data[i + 2] - b) ** 2;
      if (distance < bestDistance) [best, bestDistance] = [j, distance];
    });
    counts[best]++;
  }
  return counts.map((n) => (painted === 0 ? 0 : n / painted));
}
