/** A one-line progress bar on a terminal; silent when stderr is not one (CI, pipes). */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  if (!stream.isTTY) return () => {};
  return (done: number, total: number) => {
    const width = 30;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    if (done >= total) stream.write('\n');
  };
}
