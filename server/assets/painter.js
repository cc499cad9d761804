// The canvas painter of the web player: server/src/replay/scene.rs decides what a moment looks
// like, as primitive ops in dp (rect, line, circle, path, text); this module only rasterizes
// them, as server/src/render/paint.rs does for `reprise render`, with the same font.

/** The font family the page loads from /assets/font.ttf (the renderer's DejaVu Sans). */
export const FONT = '"Reprise Sans"';

/** An ARGB number as a CSS colour. */
function color(argb) {
  const a = ((argb >>> 24) & 255) / 255;
  return `rgba(${(argb >>> 16) & 255}, ${(argb >>> 8) & 255}, ${argb & 255}, ${a})`;
}

function withClip(ctx, clip, draw) {
  if (!clip) {
    draw();
    return;
  }
  ctx.save();
  ctx.beginPath();
  ctx.rect(clip.x, clip.y, clip.w, clip.h);
  ctx.clip();
  draw();
  ctx.restore();
}

function roundedRect(ctx, x, y, w, h, r) {
  const radius = Math.max(0, Math.min(r, w / 2, h / 2));
  ctx.beginPath();
  ctx.moveTo(x + radius, y);
  ctx.arcTo(x + w, y, x + w, y + h, radius);
  ctx.arcTo(x + w, y + h, x, y + h, radius);
  ctx.arcTo(x, y + h, x, y, radius);
  ctx.arcTo(x, y, x + w, y, radius);
  ctx.closePath();
}

function fillAndStroke(ctx, fill, stroke, line) {
  if (fill !== null && fill !== undefined) {
    ctx.fillStyle = color(fill);
    ctx.fill();
  }
  if (stroke !== null && stroke !== undefined && line > 0) {
    ctx.strokeStyle = color(stroke);
    ctx.lineWidth = line;
    ctx.stroke();
  }
}

function paintOp(ctx, op) {
  switch (op.op) {
    case 'rect':
      withClip(ctx, op.clip, () => {
        roundedRect(ctx, op.x, op.y, op.w, op.h, op.radius);
        fillAndStroke(ctx, op.fill, op.stroke, op.line);
      });
      break;
    case 'line':
      withClip(ctx, op.clip, () => {
        ctx.beginPath();
        ctx.moveTo(op.x1, op.y1);
        ctx.lineTo(op.x2, op.y2);
        ctx.strokeStyle = color(op.color);
        ctx.lineWidth = op.line;
        ctx.stroke();
      });
      break;
    case 'circle':
      ctx.beginPath();
      ctx.arc(op.x, op.y, op.r, 0, Math.PI * 2);
      fillAndStroke(ctx, op.fill, op.stroke, op.line);
      break;
    case 'path':
      if (op.points.length < 2) break;
      ctx.beginPath();
      ctx.moveTo(op.points[0][0], op.points[0][1]);
      for (const [x, y] of op.points.slice(1)) ctx.lineTo(x, y);
      ctx.strokeStyle = color(op.color);
      ctx.lineWidth = op.line;
      ctx.lineJoin = 'round';
      ctx.lineCap = 'round';
      ctx.stroke();
      break;
    case 'text':
      withClip(ctx, op.clip, () => {
        ctx.font = `${op.size}px ${FONT}`;
        ctx.textBaseline = 'alphabetic';
        ctx.fillStyle = color(op.color);
        if (op.max_w > 0) ctx.fillText(op.text, op.x, op.y, op.max_w);
        else ctx.fillText(op.text, op.x, op.y);
      });
      break;
    default:
      throw new Error(`unknown drawing op ${op.op}`);
  }
}

/** How each kind of highlight is drawn: [dash, line width, stroke, fill]. */
const HIGHLIGHT_STYLES = {
  finding: [[6, 4], 2, 'rgba(217, 119, 6, 0.9)', 'rgba(245, 158, 11, 0.12)'],
  selected: [[], 3, 'rgba(220, 38, 38, 0.95)', 'rgba(248, 113, 113, 0.22)'],
  inspected: [[], 2, 'rgba(37, 99, 235, 0.95)', 'rgba(59, 130, 246, 0.18)'],
  hovered: [[3, 3], 1, 'rgba(37, 99, 235, 0.8)', 'rgba(59, 130, 246, 0.08)'],
};

/**
 * Paints a scene, then the overlay's ops, then the highlights (`{x, y, w, h, style}` in dp, style
 * one of finding, selected, inspected, hovered) onto the 2D context `ctx` at `scale` canvas
 * pixels per dp. Highlights are the page's, not the replay's: `reprise render` has none.
 */
export function paint(ctx, scene, overlayOps, highlights, scale) {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  ctx.fillStyle = color(scene.background);
  ctx.fillRect(0, 0, scene.width, scene.height);
  for (const op of scene.ops) paintOp(ctx, op);
  for (const op of overlayOps) paintOp(ctx, op);
  for (const h of highlights) {
    const [dash, width, stroke, fill] = HIGHLIGHT_STYLES[h.style] || HIGHLIGHT_STYLES.finding;
    ctx.save();
    ctx.setLineDash(dash);
    ctx.lineWidth = width;
    ctx.strokeStyle = stroke;
    ctx.fillStyle = fill;
    ctx.fillRect(h.x, h.y, h.w, h.h);
    ctx.strokeRect(h.x, h.y, h.w, h.h);
    ctx.restore();
  }
}
