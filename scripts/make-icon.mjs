// Draws the extension icon (images/icon.png, 128x128): a brick firewall with a check badge.
// The PNG is committed; this script only exists so that it can be redrawn without an image
// editor. Usage: node scripts/make-icon.mjs [out.png]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const SIZE = 128;
const SUPERSAMPLING = 4; // samples per pixel along each axis, for smooth edges

const COLOURS = {
  background: [30, 41, 59],
  brick: [220, 88, 42],
  brickShade: [190, 70, 33],
  badge: [34, 160, 90],
  tick: [255, 255, 255],
};

function insideRoundedSquare(x, y, inset, radius) {
  const lo = inset + radius;
  const hi = SIZE - inset - radius;
  const dx = Math.max(lo - x, 0, x - hi);
  const dy = Math.max(lo - y, 0, y - hi);
  return x >= inset && x <= SIZE - inset && y >= inset && y <= SIZE - inset && dx * dx + dy * dy <= radius * radius;
}

// Four courses of bricks in running bond, with mortar gaps, in the upper-left part of the icon.
function brickAt(x, y) {
  const top = 22, courseHeight = 18, brickWidth = 30, mortar = 3, left = 14, right = 114;
  if (x < left || x > right || y < top || y > top + 4 * courseHeight) return null;
  const course = Math.floor((y - top) / courseHeight);
  if ((y - top) % courseHeight < mortar) return null;
  const offset = course % 2 === 0 ? 0 : brickWidth / 2;
  const along = (x - left + offset) % brickWidth;
  if (along < mortar) return null;
  return course % 2 === 0 ? 'brick' : 'brickShade';
}

function distanceToSegment(px, py, [ax, ay], [bx, by]) {
  const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)));
}

// The colour at one sample point, or null for transparent.
function colourAt(x, y) {
  const badge = { cx: 92, cy: 94, r: 26 };
  const tick = [[79, 94], [89, 104], [106, 84]];
  if (Math.hypot(x - badge.cx, y - badge.cy) <= badge.r) {
    const onTick = distanceToSegment(x, y, tick[0], tick[1]) <= 4.5 || distanceToSegment(x, y, tick[1], tick[2]) <= 4.5;
    return COLOURS[onTick ? 'tick' : 'badge'];
  }
  if (Math.hypot(x - badge.cx, y - badge.cy) <= badge.r + 4) return COLOURS.background; // a ring that separates badge and wall
  if (!insideRoundedSquare(x, y, 2, 22)) return null;
  const brick = brickAt(x, y);
  return COLOURS[brick ?? 'background'];
}

function renderRgba() {
  const pixels = Buffer.alloc(SIZE * SIZE * 4);
  for (let py = 0; py < SIZE; py++) {
    for (let px = 0; px < SIZE; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < SUPERSAMPLING; sy++) {
        for (let sx = 0; sx < SUPERSAMPLING; sx++) {
          const c = colourAt(px + (sx + 0.5) / SUPERSAMPLING, py + (sy + 0.5) / SUPERSAMPLING);
          if (!c) continue;
          sum[0] += c[0]; sum[1] += c[1]; sum[2] += c[2]; sum[3] += 1;
        }
      }
      const o = (py * SIZE + px) * 4;
      const covered = sum[3];
      if (covered === 0) continue;
      pixels[o] = Math.round(sum[0] / covered);
      pixels[o + 1] = Math.round(sum[1] / covered);
      pixels[o + 2] = Math.round(sum[2] / covered);
      pixels[o + 3] = Math.round((255 * covered) / SUPERSAMPLING ** 2);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

function encodePng(rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = [];
  for (let y = 0; y < SIZE; y++) rows.push(Buffer.from([0]), rgba.subarray(y * SIZE * 4, (y + 1) * SIZE * 4));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlib.deflateSync(Buffer.concat(rows), { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = process.argv[2] ?? 'images/icon.png';
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, encodePng(renderRgba()));
console.log(`wrote ${out}`);
