package io.mediaurlingest.store;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One multipart upload whose parts are uploaded in parallel, each read straight from its range
 * of the file (nothing is held in memory), while the file may still be growing: the
 * downloader hands over each part as soon as its bytes are on disk. At most {@code inFlight}
 * parts of one upload are on the wire at once; the caller waits for a free one.
 */
public final class MultipartUpload implements StreamingUpload {

    private final StorageLocation location;
    private final String key;
    private final String uploadId;
    private final Path file;
    private final ExecutorService pool;
    private final long partSize;
    private final Semaphore inFlight;
    private final List<Future<CompletedPart>> parts = new ArrayList<>();
    private long nextOffset;

    MultipartUpload(StorageLocation location, String key, String contentType, Path file, ExecutorService pool, long partSize,
            int inFlight) {
        this.location = location;
        this.key = key;
        this.file = file;
        this.pool = pool;
        this.partSize = partSize;
        this.inFlight = new Semaphore(inFlight);
        this.uploadId = location.s3().createMultipartUpload(b -> b.bucket(location.bucket()).key(key).contentType(contentType))
                .uploadId();
    }

    /** Every whole part now on disk goes out (waits while too many are in flight). */
    @Override
    public void handOver(long bytesOnDisk) throws InterruptedException {
        while (bytesOnDisk - nextOffset >= partSize) {
            addPart(partSize);
        }
    }

    /** Uploads the next {@code length} bytes of the file as the next part (waits while too many are in flight). */
    private void addPart(long length) throws InterruptedException {
        int partNumber = parts.size() + 1;
        long offset = nextOffset;
        nextOffset += length;
        inFlight.acquire();
        parts.add(pool.submit(() -> {
            try {
                String etag = location.s3().uploadPart(b -> b.bucket(location.bucket()).key(key).uploadId(uploadId)
                        .partNumber(partNumber).contentLength(length), RequestBody.fromContentProvider(slice(offset, length),
                        length, "application/octet-stream")).eTag();
                return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
            } finally {
                inFlight.release();
            }
        }));
    }

    /** Uploads what is left of the file as the last parts and completes the upload; aborts it if anything failed. */
    @Override
    public String complete(long totalSize) throws Exception {
        try {
            while (totalSize - nextOffset > partSize) {
                addPart(partSize);
            }
            if (totalSize > nextOffset || parts.isEmpty()) {
                addPart(totalSize - nextOffset);
            }
            List<CompletedPart> done = new ArrayList<>();
            for (Future<CompletedPart> part : parts) {
                done.add(part.get());
            }
            done.sort(Comparator.comparing(CompletedPart::partNumber));
            location.s3().completeMultipartUpload(b -> b.bucket(location.bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(done).build()));
            return null; // a multipart ETag is not the object's MD5
        } catch (Exception e) {
            abort();
            throw e;
        }
    }

    /** Stops the upload: parts on the wire are cancelled, the store drops what it kept. */
    @Override
    public void abort() {
        parts.forEach(p -> p.cancel(true));
        try {
            location.s3().abortMultipartUpload(b -> b.bucket(location.bucket()).key(key).uploadId(uploadId));
        } catch (RuntimeException storeAway) {
            location.abortLater(key, uploadId); // the store is away: the sweep retry-failed-aborts tries again
        }
    }

    private ContentStreamProvider slice(long offset, long length) {
        return () -> {
            try {
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                channel.position(offset);
                // the HTTP client reads 4 KiB at a time: a system call each, without the buffer
                return new BoundedInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 20),
                        length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** Reads at most length bytes of the underlying stream. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInputStream(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
