/**
 * `fregues report weekly | head -1`: the reader closes the pipe after what it wanted, and the next
 * write fails with EPIPE. Unix tools stop quietly then; without this, Node printed an English stack
 * trace. Any other error of the stream is not ours to hide: it is thrown again.
 */
export function stopQuietlyOnClosedPipe(stream: NodeJS.EventEmitter, exit: (code: number) => void): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      exit(0);
      return;
    }
    throw error;
  });
}
