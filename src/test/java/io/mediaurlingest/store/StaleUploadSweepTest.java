package io.mediaurlingest.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * What a crash leaves in the store is removed by the sweep once older than the age (a young
 * one may still be written): multipart parts, and the partial file of a streamed PUT.
 */
class StaleUploadSweepTest {

    @TempDir
    Path dataDir;

    /** The embedded store alone, as the service starts it (no database, no API). */
    private StorageLocations embeddedStore() throws Exception {
        StorageLocations locations = new StorageLocations(List.of(new StorageLocations.Spec("local-vod", null, "us-east-1",
                "local-identity", "local-credential", "vod")), new EmbeddedS3Store(dataDir.resolve("store"), "127.0.0.1", 0,
                "local-identity", "local-credential"), Duration.ofHours(24));
        locations.start();
        return locations;
    }

    private static int uploadCount(StorageLocation store) {
        return store.s3().listMultipartUploads(b -> b.bucket(store.bucket())).uploads().size();
    }

    private static int objectCount(StorageLocation store) {
        return store.s3().listObjectsV2(b -> b.bucket(store.bucket())).contents().size();
    }

    @Test
    void orphanPartsAreAbortedOnceOlderThanTheAge() throws Exception {
        StorageLocations locations = embeddedStore();
        try {
            StorageLocation store = locations.defaultLocation();
            String uploadId = store.s3().createMultipartUpload(b -> b.bucket(store.bucket()).key("media/orphan.mp4")).uploadId();
            store.s3().uploadPart(b -> b.bucket(store.bucket()).key("media/orphan.mp4").uploadId(uploadId).partNumber(1),
                    RequestBody.fromBytes(new byte[1024]));

            assertThat(locations.abortUploadsOlderThan(java.time.Duration.ofHours(24))).isZero();
            assertThat(uploadCount(store)).isEqualTo(1);

            assertThat(locations.abortUploadsOlderThan(java.time.Duration.ZERO)).isEqualTo(1);
            assertThat(uploadCount(store)).isZero();
            assertThat(objectCount(store)).isZero();
        } finally {
            locations.stop();
        }
    }

    /**
     * S3Proxy's file store writes a PUT to {key}-{UUID} and renames it when the body is
     * complete; a process killed mid-PUT leaves that file, and the store lists it as an object.
     */
    @Test
    void partialFilesOfPutsCutOffByACrashAreRemovedOnceOlderThanTheAge() throws Exception {
        StorageLocations locations = embeddedStore();
        try {
            StorageLocation store = locations.defaultLocation();
            store.s3().putObject(b -> b.bucket(store.bucket()).key("media/kept.mp4"), RequestBody.fromBytes(new byte[10]));
            store.s3().putObject(b -> b.bucket(store.bucket()).key("imports/a.mp4-0b0e5f0e-8d1c-4a5e-9c3b-5b2f1f0e9a11"),
                    RequestBody.fromBytes(new byte[10])); // a client's own key of that shape, outside media/
            java.nio.file.Path partial = dataDir.resolve("store").resolve(store.bucket())
                    .resolve("media/3f1c.mp4-6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
            java.nio.file.Files.write(partial, new byte[4096]);

            assertThat(locations.abortUploadsOlderThan(java.time.Duration.ofHours(24))).isZero();
            assertThat(java.nio.file.Files.exists(partial)).isTrue();

            assertThat(locations.abortUploadsOlderThan(java.time.Duration.ZERO)).isEqualTo(1);
            assertThat(java.nio.file.Files.exists(partial)).isFalse();
            assertThat(store.s3().listObjectsV2(b -> b.bucket(store.bucket())).contents())
                    .extracting(o -> o.key()).contains("media/kept.mp4", "imports/a.mp4-0b0e5f0e-8d1c-4a5e-9c3b-5b2f1f0e9a11")
                    .noneMatch(key -> key.startsWith("media/3f1c.mp4"));
        } finally {
            locations.stop();
        }
    }
}
