package io.mediaurlingest.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import io.mediaurlingest.Digests;
import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.job.IngestWork;
import io.mediaurlingest.job.JobFailure;
import io.mediaurlingest.media.MediaSniffer;
import io.mediaurlingest.ops.IngestMetrics;
import io.mediaurlingest.store.JobUploads;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.RedirectException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.util.Timeout;

/**
 * Downloads a job's source to a temporary file with HttpClient 5, streaming through a fixed
 * buffer while MD5 and SHA-256 are computed. Every connection, redirect hops included,
 * resolves through the address guard.
 */
public final class SourceDownloader extends ServiceSupport {

    private static final int BUFFER = 64 * 1024;
    /** How often a download of unknown size looks at the free space: every 8 MiB. */
    private static final long DISK_CHECK_BYTES = 8 << 20;
    /** JobFailure.waitFor: what a job waits for when ingest.data-dir has no room. */
    public static final String WAITING_FOR_DISK = "DiskSpace";
    /** Bytes on disk before a streamed upload starts: enough for the media sniffer to judge them. */
    private static final long SNIFF_BYTES = 1 << 20;

    private final CloseableHttpClient client;
    private final Path tempDir;
    private final long maxFileSize;
    private final RunningDownloads running;
    private final MediaSniffer sniffer;
    private final JobUploads store;
    private final IngestMetrics metrics;
    private final DiskReserve disk;
    private final HeaderCipher cipher;
    private final String userAgent;

    public SourceDownloader(AddressGuard guard, Path tempDir, Duration connectTimeout, Duration readTimeout,
            int maxRedirects, long maxFileSize, String userAgent,
            RunningDownloads running, MediaSniffer sniffer, JobUploads store, HeaderCipher cipher, DiskReserve disk,
            IngestMetrics metrics) {
        this.cipher = cipher;
        this.userAgent = userAgent;
        this.disk = disk;
        this.metrics = metrics;
        this.sniffer = sniffer;
        this.store = store;
        this.tempDir = tempDir;
        this.maxFileSize = maxFileSize;
        this.running = running;
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new GuardedDnsResolver(guard))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setSocketTimeout(Timeout.of(readTimeout))
                        .build())
                .setMaxConnTotal(256)
                .setMaxConnPerRoute(32)
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setRedirectsEnabled(maxRedirects > 0)
                        .setMaxRedirects(maxRedirects)
                        .setResponseTimeout(Timeout.of(readTimeout))
                        .build())
                .setRedirectStrategy(new HttpOnlyRedirects())
                .setUserAgent(userAgent)
                // the job's own headers, on each request for its source's origin only (redirect hops included)
                .addRequestInterceptorLast((request, entity, context) -> {
                    if (context.getAttribute(SourceHeaders.ATTRIBUTE) instanceof SourceHeaders headers) {
                        headers.applyTo(request);
                    }
                })
                .disableContentCompression()
                .disableAutomaticRetries() // RetryPolicy is the one place that retries
                .build();
    }

    /**
     * Downloads the source into {tmp}/{jobId}.part. When an earlier attempt of this job was cut
     * off and the source named a validator (ETag or Last-Modified) and takes ranges, the
     * download continues with Range + If-Range instead of starting over; a source that answers
     * 200 (changed, or no ranges) is read again from zero.
     */
    public IngestWork download(IngestWork work) {
        String jobId = work.job().jobId();
        Path file = tempDir.resolve(jobId + ".part");
        IngestWork.ResumePoint resume = work.resumePoint();
        long have = resume != null ? sizeOf(file) : 0;
        work.writingTo(file);
        HttpGet get = new HttpGet(SourceUrls.uri(work.job().sourceUrl()));
        HttpClientContext context = contextOf(work);
        if (have > 0) {
            get.addHeader(HttpHeaders.RANGE, "bytes=" + have + "-");
            get.addHeader(HttpHeaders.IF_RANGE, resume.validator());
        }
        RunningDownloads.Download download = running.started(jobId, get, work.deadlineNanos());
        boolean keepPartial = false;
        boolean complete = false;
        ClassicHttpResponse response = null;
        // no try-with-resources for the response and its stream: closing either reads the rest
        // of the body, so a failed download (too large, too slow, canceled) first cuts the
        // connection off in finally, and a source cannot hold the worker by sending on
        metrics.attempt();
        try {
            long requestedAt = System.nanoTime();
            response = client.executeOpen(null, get, context);
            metrics.firstByte(Duration.ofNanos(System.nanoTime() - requestedAt));
            int status = response.getCode();
            boolean resumed = have > 0 && status == 206 && rangeStartsAt(response, have);
            if (!resumed && status != 200) {
                throw failureForStatus(status, response);
            }
            if (!resumed) {
                have = 0;
            }
            HttpEntity entity = response.getEntity();
            long length = entity == null ? -1 : entity.getContentLength();
            long declared = length < 0 ? -1 : have + length;
            if (declared > maxFileSize) {
                throw JobFailure.permanent(ErrorCode.FILE_TOO_LARGE,
                        "The source is " + declared + " bytes, more than the limit of " + maxFileSize + " bytes.");
            }
            if (!disk.hasRoomFor(declared < 0 ? 0 : declared - have)) {
                keepPartial = true; // what an earlier attempt kept is resumed once there is room
                throw JobFailure.waitFor(WAITING_FOR_DISK, "ingest.data-dir has " + disk.free() + " bytes free, too few for "
                        + (declared < 0 ? "a file of unknown size" : (declared - have) + " more bytes") + " above the "
                        + disk.minFree() + " kept free (ingest.fetch.min-free-disk).");
            }
            String validator = validatorOf(response);
            work.resumeAt(validator != null && acceptsRanges(response, resumed) ? new IngestWork.ResumePoint(validator) : null);
            // the store hashes what it receives; the same MD5 is not computed twice
            MessageDigest md5 = store.computesMd5(work, declared) ? null : Digests.of("MD5");
            MessageDigest sha256 = Digests.of("SHA-256");
            if (resumed) {
                Digests.feed(file, md5, sha256); // digests of the bytes kept from the earlier attempt
            }
            long total = have;
            boolean stream = work.mayStream() && !resumed && (declared < 0 || declared > store.partSize());
            InputStream in = entity == null ? InputStream.nullInputStream() : entity.getContent();
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buffer = new byte[BUFFER];
                int n;
                keepPartial = work.resumePoint() != null;
                while ((n = in.read(buffer)) >= 0) {
                    if (declared < 0 && (total - have) % DISK_CHECK_BYTES + n >= DISK_CHECK_BYTES && !disk.hasRoomFor(n)) {
                        // a file of unknown size has filled the disk down to the reserve: it stops,
                        // its partial file goes, and it starts over once there is room
                        keepPartial = false;
                        throw JobFailure.waitFor(WAITING_FOR_DISK, "ingest.data-dir went down to " + disk.free()
                                + " bytes free while a file of unknown size downloaded (ingest.fetch.min-free-disk: "
                                + disk.minFree() + ").");
                    }
                    total += n;
                    download.bytes.addAndGet(n);
                    if (total > maxFileSize) {
                        keepPartial = false;
                        throw JobFailure.permanent(ErrorCode.FILE_TOO_LARGE,
                                "The source sent more than the limit of " + maxFileSize + " bytes.");
                    }
                    if (md5 != null) {
                        md5.update(buffer, 0, n);
                    }
                    sha256.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                    work.progressed(total, declared < 0 ? null : declared);
                    if (stream) {
                        handOver(work, total, declared);
                    }
                }
            }
            if (declared >= 0 && total != declared) {
                throw JobFailure.transientFailure(ErrorCode.INCOMPLETE_DOWNLOAD,
                        "The source sent " + total + " bytes but announced " + declared + ".", null);
            }
            complete = true;
            work.downloaded(file, total, md5 == null ? null : HexFormat.of().formatHex(md5.digest()),
                    HexFormat.of().formatHex(sha256.digest()));
            return work;
        } catch (JobFailure e) {
            abortUpload(work);
            if (!(keepPartial && e.isTransient())) {
                deleteQuietly(file);
            }
            throw e;
        } catch (InterruptedException e) {
            abortUpload(work);
            Thread.currentThread().interrupt();
            throw JobFailure.transientFailure(ErrorCode.SOURCE_UNAVAILABLE, "The download was interrupted.", e);
        } catch (IOException e) {
            abortUpload(work);
            // cut off by a cancel or by the watchdog, or else a failure of the connection
            JobFailure failure = download.cutOffFor() != null ? download.cutOffFor() : failureForIo(e);
            if (!(keepPartial && failure.isTransient())) {
                deleteQuietly(file);
            }
            throw failure;
        } finally {
            ended(jobId, download, get, complete, response);
        }
    }

    /** A request context carrying the job's own headers (for its source's origin only), if it has any. */
    private HttpClientContext contextOf(IngestWork work) {
        HttpClientContext context = HttpClientContext.create();
        if (work.job().sourceHeaders() != null) {
            context.setAttribute(SourceHeaders.ATTRIBUTE, new SourceHeaders(SourceUrls.uri(work.job().sourceUrl()),
                    cipher.open(work.job().jobId(), work.job().sourceHeaders()), userAgent));
        }
        return context;
    }

    /**
     * Another resource of a job's source (an HLS playlist, key or segment), fetched whole into
     * out through the same guarded client: the address guard on every hop, the job's headers
     * for its source's origin, its cancel and its watchdog. No resume: a resource is small.
     * @param limit the most bytes it may have
     * @param onBytes told of each buffer written (progress; it may throw to stop the fetch)
     * @return the bytes written
     */
    public long fetch(IngestWork work, java.net.URI uri, OutputStream out, long limit, java.util.function.LongConsumer onBytes) {
        String jobId = work.job().jobId();
        HttpGet get = new HttpGet(uri);
        RunningDownloads.Download download = running.started(jobId, get, work.deadlineNanos());
        boolean complete = false;
        ClassicHttpResponse response = null;
        try {
            response = client.executeOpen(null, get, contextOf(work));
            if (response.getCode() != 200) {
                throw failureForStatus(response.getCode(), response);
            }
            HttpEntity entity = response.getEntity();
            long length = entity == null ? -1 : entity.getContentLength();
            if (length > limit) {
                throw JobFailure.permanent(ErrorCode.FILE_TOO_LARGE, uri + " is " + length + " bytes, more than the "
                        + limit + " allowed for it.");
            }
            InputStream in = entity == null ? InputStream.nullInputStream() : entity.getContent();
            byte[] buffer = new byte[BUFFER];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > limit) {
                    throw JobFailure.permanent(ErrorCode.FILE_TOO_LARGE, uri + " sent more than the " + limit
                            + " bytes allowed for it.");
                }
                download.bytes.addAndGet(n);
                out.write(buffer, 0, n);
                onBytes.accept(n);
            }
            if (length >= 0 && total != length) {
                throw JobFailure.transientFailure(ErrorCode.INCOMPLETE_DOWNLOAD,
                        uri + " sent " + total + " bytes but announced " + length + ".", null);
            }
            complete = true;
            return total;
        } catch (IOException e) {
            throw download.cutOffFor() != null ? download.cutOffFor() : failureForIo(e);
        } finally {
            ended(jobId, download, get, complete, response);
        }
    }

    /** After a request of a job's source: counts its bytes, and cuts the connection off unless it completed. */
    private void ended(String jobId, RunningDownloads.Download download, HttpGet get, boolean complete,
            ClassicHttpResponse response) {
        metrics.downloaded(download.bytes.get());
        running.ended(jobId);
        if (!complete) {
            get.cancel();
        }
        closeQuietly(response);
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        try {
            if (response != null) {
                response.close();
            }
        } catch (IOException ignored) {
            // the connection is gone either way
        }
    }

    /**
     * Once the first MiB of a large file is on disk, it is checked to be media and the upload
     * begins; it then follows the file as the rest arrives.
     */
    private void handOver(IngestWork work, long total, long declared) throws InterruptedException {
        if (work.upload() == null) {
            if (total < SNIFF_BYTES) {
                return;
            }
            work.detected(sniffer.sniff(work.partialFile(), work.job().fileExtension()));
            work.uploading(store.open(work, declared));
        }
        work.upload().handOver(total);
    }

    /** A failed attempt drops its parts; the next attempt uploads the file once it is complete. */
    private static void abortUpload(IngestWork work) {
        if (work.upload() != null) {
            work.upload().abort();
            work.uploading(null);
            work.refuseStreaming();
        }
    }

    /** A strong ETag, or else Last-Modified: what If-Range may name. Weak ETags cannot guard a range. */
    private static String validatorOf(ClassicHttpResponse response) {
        Header etag = response.getFirstHeader(HttpHeaders.ETAG);
        if (etag != null && !etag.getValue().startsWith("W/")) {
            return etag.getValue();
        }
        Header lastModified = response.getFirstHeader(HttpHeaders.LAST_MODIFIED);
        return lastModified == null ? null : lastModified.getValue();
    }

    private static boolean acceptsRanges(ClassicHttpResponse response, boolean resumed) {
        Header acceptRanges = response.getFirstHeader(HttpHeaders.ACCEPT_RANGES);
        return resumed || (acceptRanges != null && acceptRanges.getValue().equalsIgnoreCase("bytes"));
    }

    /** Content-Range: bytes {start}-{end}/{total} must continue exactly where the kept bytes end. */
    private static boolean rangeStartsAt(ClassicHttpResponse response, long offset) {
        Header range = response.getFirstHeader(HttpHeaders.CONTENT_RANGE);
        return range != null && range.getValue().trim().startsWith("bytes " + offset + "-");
    }

    private static long sizeOf(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    static JobFailure failureForStatus(int status, ClassicHttpResponse response) {
        String message = "The source answered HTTP " + status + ".";
        if (status == 404 || status == 410) {
            return JobFailure.permanent(ErrorCode.SOURCE_NOT_FOUND, message);
        }
        if (status == 401 || status == 403) {
            return JobFailure.permanent(ErrorCode.SOURCE_FORBIDDEN, message);
        }
        if (status == 408 || status == 429 || status >= 500) {
            Header retryAfter = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
            return JobFailure.retryLater(ErrorCode.SOURCE_UNAVAILABLE, message, retryAfter(retryAfter));
        }
        if (status >= 300 && status < 400) {
            return JobFailure.permanent(ErrorCode.TOO_MANY_REDIRECTS, message + " The redirect was not followed.");
        }
        return JobFailure.permanent(ErrorCode.SOURCE_REJECTED, message);
    }

    /** Retry-After in seconds (an HTTP date counts as no hint): how long the source asked us to wait. */
    static Duration retryAfter(Header header) {
        if (header == null || !header.getValue().trim().matches("\\d{1,9}")) {
            return null;
        }
        return Duration.ofSeconds(Long.parseLong(header.getValue().trim()));
    }

    static JobFailure failureForIo(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AddressNotAllowedException || t instanceof HttpOnlyRedirects.RefusedRedirectException) {
                return JobFailure.permanent(ErrorCode.ADDRESS_NOT_ALLOWED, t.getMessage() + ".");
            }
            if (t instanceof RedirectException) {
                return JobFailure.permanent(ErrorCode.TOO_MANY_REDIRECTS, t.getMessage());
            }
        }
        if (e instanceof ClientProtocolException) {
            return JobFailure.permanent(ErrorCode.SOURCE_REJECTED, "The source broke the HTTP protocol: " + e.getMessage());
        }
        if (e instanceof SocketTimeoutException && !(e instanceof ConnectTimeoutException)) {
            return JobFailure.transientFailure(ErrorCode.DOWNLOAD_TIMEOUT, "The source stopped sending data: " + e.getMessage(), e);
        }
        return JobFailure.transientFailure(ErrorCode.SOURCE_UNAVAILABLE, "The source could not be read: " + e, e);
    }

    public static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a leftover temp file is removed by the next run of the same job
        }
    }

    @Override
    protected void doStart() throws IOException {
        Files.createDirectories(tempDir);
    }

    @Override
    protected void doStop() throws IOException {
        client.close();
    }
}
