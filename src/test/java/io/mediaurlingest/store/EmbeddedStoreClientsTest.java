package io.mediaurlingest.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.mediaurlingest.support.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The embedded store (S3Proxy 4, filesystem-nio2) with the AWS SDK for Java 2.x at its defaults:
 * since 2.30 it sends every PUT and part aws-chunked with a trailing CRC32 checksum and validates
 * checksums on GET, as boto3 ≥ 1.36 and AWS CLI v2 do. PUT, GET, list, copy and multipart work,
 * and folders are not listed as objects.
 */
class EmbeddedStoreClientsTest {

    @TempDir
    static Path dir;
    static EmbeddedS3Store store;
    static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        store = new EmbeddedS3Store(dir.resolve("store"), "127.0.0.1", 0, "local-identity", "local-credential");
        store.start();
        // no checksum settings, no chunked-encoding settings: the SDK's defaults
        s3 = S3Client.builder()
                .endpointOverride(store.endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local-identity",
                        "local-credential")))
                .build();
        s3.createBucket(b -> b.bucket("vod"));
    }

    @AfterAll
    static void stop() {
        s3.close();
        store.stop();
    }

    @Test
    void putGetCopyAndListWithTheSdksDefaultChecksums() throws Exception {
        byte[] clip = Fixtures.media("sample.mp4");
        byte[] unknownLength = Fixtures.mp4OfSize(3 << 20, 11);

        s3.putObject(p -> p.bucket("vod").key("media/a/clip.mp4"), RequestBody.fromBytes(clip));
        // a stream of unknown length: the SDK frames it aws-chunked with its checksum as a trailer
        s3.putObject(p -> p.bucket("vod").key("media/b/stream.mp4"),
                RequestBody.fromContentProvider(() -> new ByteArrayInputStream(unknownLength), "video/mp4"));
        s3.putObject(p -> p.bucket("vod").key("media/a/crc32c.mp4").checksumAlgorithm(ChecksumAlgorithm.CRC32_C),
                RequestBody.fromBytes(clip));
        s3.copyObject(c -> c.sourceBucket("vod").sourceKey("media/a/clip.mp4").destinationBucket("vod")
                .destinationKey("copies/clip.mp4"));

        assertThat(s3.getObjectAsBytes(g -> g.bucket("vod").key("media/a/clip.mp4")).asByteArray()).isEqualTo(clip);
        assertThat(s3.getObjectAsBytes(g -> g.bucket("vod").key("media/b/stream.mp4")).asByteArray()).isEqualTo(unknownLength);
        assertThat(s3.getObjectAsBytes(g -> g.bucket("vod").key("media/a/crc32c.mp4")).asByteArray()).isEqualTo(clip);
        assertThat(s3.getObjectAsBytes(g -> g.bucket("vod").key("copies/clip.mp4")).asByteArray()).isEqualTo(clip);
        // folders are not objects: a recursive copy of the bucket finds the four files only
        List<String> keys = new ArrayList<>();
        s3.listObjectsV2Paginator(l -> l.bucket("vod")).contents().forEach(o -> keys.add(o.key()));
        assertThat(keys).containsExactlyInAnyOrder("media/a/clip.mp4", "media/b/stream.mp4", "media/a/crc32c.mp4",
                "copies/clip.mp4");
        var folders = s3.listObjectsV2(l -> l.bucket("vod").prefix("media/").delimiter("/"));
        assertThat(folders.contents()).isEmpty();
        assertThat(folders.commonPrefixes()).extracting(p -> p.prefix()).containsExactlyInAnyOrder("media/a/", "media/b/");
        assertThat(s3.listObjectsV2(l -> l.bucket("vod").prefix("media/a/")).contents()).extracting(S3Object::size)
                .containsOnly((long) clip.length);
    }

    @Test
    void aMultipartUploadWithDefaultPartChecksumsCompletes() {
        byte[] part1 = new byte[5 << 20];
        byte[] part2 = new byte[1 << 20];
        new Random(3).nextBytes(part1);
        new Random(4).nextBytes(part2);
        String uploadId = s3.createMultipartUpload(c -> c.bucket("vod").key("big/file.mp4")).uploadId();

        List<CompletedPart> parts = new ArrayList<>();
        int number = 1;
        for (byte[] part : List.of(part1, part2)) {
            int n = number++;
            String etag = s3.uploadPart(u -> u.bucket("vod").key("big/file.mp4").uploadId(uploadId).partNumber(n),
                    RequestBody.fromBytes(part)).eTag();
            parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
        }
        s3.completeMultipartUpload(c -> c.bucket("vod").key("big/file.mp4").uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));

        byte[] stored = s3.getObjectAsBytes(g -> g.bucket("vod").key("big/file.mp4")).asByteArray();
        assertThat(stored.length).isEqualTo(part1.length + part2.length);
        assertThat(java.util.Arrays.copyOfRange(stored, 0, part1.length)).isEqualTo(part1);
        assertThat(java.util.Arrays.copyOfRange(stored, part1.length, stored.length)).isEqualTo(part2);
    }
}
