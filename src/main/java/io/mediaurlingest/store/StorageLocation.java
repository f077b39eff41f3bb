package io.mediaurlingest.store;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * One named S3-compatible store (endpoint + bucket + credentials). The client sends
 * checksums only when an operation requires them: S3Proxy and several S3 look-alikes reject
 * the SDK's newer default integrity headers.
 */
public final class StorageLocation implements AutoCloseable {

    private static final Pattern MPU_STUB = Pattern.compile("\\.mpus-([0-9a-f-]{36})-(.+)-stub");
    /** What S3Proxy's filesystem store writes a PUT to before renaming it to its key: {key}-{UUID}. */
    private static final Pattern PARTIAL_PUT = Pattern.compile(Pattern.quote(ObjectKeys.MANAGED_PREFIX)
            + "[^/]+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final String name;
    private final String bucket;
    private final URI endpoint;
    private final S3Client s3;
    private final S3Presigner presigner;
    private final boolean embedded;
    private final java.util.Queue<String[]> abortsToRetry = new java.util.concurrent.ConcurrentLinkedQueue<>();

    public StorageLocation(String name, URI endpoint, String region, String accessKeyId, String secretAccessKey,
            String bucket) {
        this(name, endpoint, region, accessKeyId, secretAccessKey, bucket, false);
    }

    /**
     * @param embedded a bucket of the embedded store (S3Proxy over a file system): the ETag of an
     *        object written by one PUT is its MD5, always (not so on every S3: SSE-KMS objects,
     *        for one, have other ETags), and a PUT cut off by a crash leaves its partial file
     */
    public StorageLocation(String name, URI endpoint, String region, String accessKeyId, String secretAccessKey,
            String bucket, boolean embedded) {
        this.name = name;
        this.embedded = embedded;
        this.bucket = bucket;
        this.endpoint = endpoint;
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(accessKeyId, secretAccessKey));
        S3ClientBuilder client = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (LoopbackPayloadSigner.appliesTo(endpoint)) {
            client.putAuthScheme(LoopbackPayloadSigner.scheme());
        }
        this.s3 = client.build();
        this.presigner = S3Presigner.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    public String name() {
        return name;
    }

    public String bucket() {
        return bucket;
    }

    public URI endpoint() {
        return endpoint;
    }

    public S3Client s3() {
        return s3;
    }

    /** True when an object written by one PUT has its MD5 as ETag here (the service then need not hash it too). */
    public boolean md5ETags() {
        return embedded;
    }


    /** The MD5 (lower-case hex) an ETag of one PUT stands for, or null when this store's ETags are not MD5s. */
    String md5OfETag(String eTag) {
        String hex = eTag == null ? "" : eTag.replace("\"", "").toLowerCase(java.util.Locale.ROOT);
        return embedded && hex.matches("[0-9a-f]{32}") ? hex : null;
    }

    /** Creates the bucket when it does not exist yet. */
    public void ensureBucket() {
        try {
            s3.headBucket(HeadBucketRequest.builder().bucket(bucket).build());
        } catch (NoSuchBucketException e) {
            createBucket();
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            createBucket();
        }
    }

    private void createBucket() {
        try {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException createdMeanwhile) {
            // another node of a cluster, starting at the same time, made it first
        }
    }

    /**
     * Writes a file as one object with one PUT (up to S3's 5 GB): small job files and workflow
     * outputs. Large job files go through JobUploads's streamed uploads.
     * @return the object's MD5 when this store's ETags are MD5s, else null
     */
    public String upload(String key, Path file, String contentType) {
        return md5OfETag(s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType).build(),
                RequestBody.fromFile(file)).eTag());
    }

    /** Copies an object to a local file (which must not exist yet). */
    public void download(String key, Path file) {
        s3.getObject(b -> b.bucket(bucket).key(key), file);
    }

    /** The object's URL as clients see it in InputURL: path style, endpoint/bucket/key. */
    public String objectUrl(String key) {
        String base = endpoint.toString().replaceAll("/+$", "");
        return base + "/" + bucket + "/" + ObjectKeys.encodePath(key);
    }

    /** Size and content type of a stored object, or empty when there is none. */
    public Optional<StoredObject> head(String key) {
        try {
            var head = s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build());
            return Optional.of(new StoredObject(key, head.contentLength(), head.contentType()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public record StoredObject(String key, long size, String contentType) {
    }

    /**
     * Aborts multipart uploads begun before the cutoff: parts a crashed process left behind; in
     * the embedded store also the partial files of PUTs a crash cut off.
     * @return how many were aborted or removed
     */
    public int abortUploadsBefore(java.time.Instant cutoff) {
        int aborted = 0;
        for (var upload : s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()) {
            if (upload.initiated() == null || upload.initiated().isBefore(cutoff)) {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
                aborted++;
            }
        }
        // S3Proxy before 4 (jclouds' filesystem store, as a standalone store may still run) does not
        // list multipart uploads; it keeps each one as a ".mpus-{uploadId}-{key}-stub" object,
        // which names what to abort (the embedded S3Proxy 4 lists them, and hides its stubs)
        for (var object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(".mpus-")).contents()) {
            Matcher stub = MPU_STUB.matcher(object.key());
            if (stub.matches() && object.lastModified().isBefore(cutoff)) {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(stub.group(2)).uploadId(stub.group(1)));
                aborted++;
            }
        }
        if (embedded) {
            // a streamed PUT that was cut off by a crash: S3Proxy's file store kept what it had
            // received under its temporary name, which its listing shows as an object
            for (var object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(ObjectKeys.MANAGED_PREFIX)).contents()) {
                if (PARTIAL_PUT.matcher(object.key()).matches() && object.lastModified().isBefore(cutoff)) {
                    delete(object.key());
                    aborted++;
                }
            }
        }
        return aborted;
    }

    /** A multipart upload to abort once the store answers again (key and uploadId). */
    void abortLater(String key, String uploadId) {
        abortsToRetry.add(new String[] {key, uploadId});
    }

    /**
     * Tries again the aborts that failed (the store was away); stops at the first that still fails.
     * @return how many were aborted now
     */
    public int retryFailedAborts() {
        int aborted = 0;
        for (String[] upload; (upload = abortsToRetry.peek()) != null; aborted++) {
            String[] next = upload;
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(next[0]).uploadId(next[1]));
            abortsToRetry.remove(upload);
        }
        return aborted;
    }

    public void delete(String key) {
        s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(key).build());
    }

    /** A time-limited GET URL of an object. */
    public String presignGet(String key, Duration validFor) {
        return presigner.presignGetObject(p -> p.signatureDuration(validFor)
                .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toString();
    }

    @Override
    public void close() {
        presigner.close();
        s3.close();
    }
}
