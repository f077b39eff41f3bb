package io.mediaurlingest.store;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import software.amazon.awssdk.core.sync.RequestBody;

/**
 * One PUT of a file whose length is known, sent while the file is still being written: the
 * request body follows the file on disk as it grows (nothing is held in memory), and its last
 * byte is held back until {@link #complete} — so a file that fails a check after its download
 * (checksum, cancel) never becomes an object: the PUT is cut short and the store drops it.
 * A single PUT costs the store one pass over the bytes; a multipart upload costs it a second
 * pass to join the parts.
 */
public final class StreamedPut implements StreamingUpload {

    /** How much of the file the body reads at a time. */
    private static final int READ_AHEAD = 1 << 20;
    /** How long the body waits for the downloader before the upload gives up. */
    private static final long STALL_LIMIT_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final StorageLocation location;
    private final String key;
    private final Path file;
    private final long length;
    private final Future<String> put;
    private long onDisk;
    private boolean released;
    private boolean aborted;

    StreamedPut(StorageLocation location, String key, String contentType, Path file, long length, ExecutorService threads) {
        this.location = location;
        this.key = key;
        this.file = file;
        this.length = length;
        this.put = threads.submit(() -> location.s3().putObject(b -> b.bucket(location.bucket()).key(key)
                .contentType(contentType).contentLength(length), RequestBody.fromContentProvider(
                // the HTTP client asks for 4 KiB at a time: without the buffer, a system call and a
                // lock each (about 300,000 of each per gigabyte)
                () -> new BufferedInputStream(new FollowingBody(), READ_AHEAD), length,
                contentType)).eTag());
    }

    @Override
    public synchronized void handOver(long bytesOnDisk) {
        if (bytesOnDisk > onDisk) {
            onDisk = bytesOnDisk;
            notifyAll();
        }
    }

    @Override
    public String complete(long totalSize) throws Exception {
        if (totalSize != length) {
            abort();
            throw new IOException("the file is " + totalSize + " bytes, the upload was opened for " + length);
        }
        synchronized (this) {
            onDisk = totalSize;
            released = true;
            notifyAll();
        }
        try {
            return location.md5OfETag(put.get());
        } catch (ExecutionException e) {
            abort();
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (InterruptedException e) {
            abort();
            throw e;
        }
    }

    @Override
    public void abort() {
        synchronized (this) {
            aborted = true;
            notifyAll();
        }
        put.cancel(true);
    }

    /** Bytes the body may send now: all of them once released, else all on disk but the last. */
    private synchronized long awaitReadable(long position) throws IOException {
        long deadline = System.nanoTime() + STALL_LIMIT_NANOS;
        while (true) {
            if (aborted) {
                throw new IOException("upload of " + key + " aborted");
            }
            long readable = released ? length : Math.min(onDisk, length - 1);
            if (readable > position) {
                return readable;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException("upload of " + key + " got no bytes for 10 minutes");
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("upload of " + key + " interrupted");
            }
        }
    }

    /** The request body: the file from its start, as far as it may be sent. */
    private final class FollowingBody extends InputStream {
        private final FileChannel channel;
        private long position;

        FollowingBody() {
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int count) throws IOException {
            if (position >= length) {
                return -1;
            }
            if (count == 0) {
                return 0;
            }
            long readable = awaitReadable(position);
            int n = channel.read(ByteBuffer.wrap(buffer, offset, (int) Math.min(count, readable - position)), position);
            if (n < 0) {
                throw new IOException(file + " is shorter than the " + readable + " bytes handed over");
            }
            position += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
