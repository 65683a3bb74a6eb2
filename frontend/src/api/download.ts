/** Hands a file to the browser's downloads, as fileName, through an object URL released afterwards. */
export function saveFile(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // The download has started from the click; the URL is not needed any longer.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
