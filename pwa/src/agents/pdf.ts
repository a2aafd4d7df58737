/**
 * A PDF's pages painted into canvases in the page, by Mozilla's PDF.js: the file is
 * parsed in a worker and drawn, never handed to the browser as a document, so
 * nothing in an uploaded file can run with the app's rights (docs/decisions/0023).
 * PDF.js runs no script of the file (scripting is off unless asked for), and is told
 * not to compile fonts with `eval`, which the app's policy refuses anyway.
 *
 * Loaded on demand by the request screen (its own chunk, and the worker's file,
 * named agents-*: not precached for citizens).
 */

import { GlobalWorkerOptions, getDocument } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

/** The pages shown; a longer file says how many more there are, and is downloaded for them. */
export const MAX_PAGES = 10;

export interface PaintedPdf {
  pages: HTMLCanvasElement[];
  /** How many pages the file has (more than painted when over MAX_PAGES). */
  total: number;
}

/** Paints the first pages of ``data`` at ``width`` CSS pixels (sharp on the device's pixel ratio). */
export async function paintPdf(data: ArrayBuffer, width: number): Promise<PaintedPdf> {
  const loading = getDocument({ data, isEvalSupported: false, enableXfa: false, stopAtErrors: false });
  const pdf = await loading.promise;
  try {
    const pages: HTMLCanvasElement[] = [];
    for (let number = 1; number <= Math.min(pdf.numPages, MAX_PAGES); number += 1) {
      const page = await pdf.getPage(number);
      const natural = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: (Math.max(width, 200) / natural.width) * (window.devicePixelRatio || 1) });
      const canvas = document.createElement('canvas');
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      await page.render({ canvas, viewport }).promise;
      page.cleanup();
      pages.push(canvas);
    }
    return { pages, total: pdf.numPages };
  } finally {
    await loading.destroy();
  }
}
