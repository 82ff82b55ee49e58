/**
 * Hands bytes to the browser as a download named `fileName`: a blob URL on a temporary
 * link, released once the click has been dispatched (the browser holds the blob until
 * the download starts).
 */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.rel = "noopener";
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
