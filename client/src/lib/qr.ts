/** QR codes as data: URLs of SVG images, so they render through <img> and never as HTML. */
import QRCode from 'qrcode';

/** An SVG QR code of `text` as a data: URL, dark modules on white with a quiet zone. */
export async function qrDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
