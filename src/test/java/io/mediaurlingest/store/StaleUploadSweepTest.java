package io.mediaurlingest.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import io.mediaurlingest.support.RunningService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** A multipart upload left behind (as by a crash) is aborted by the sweep; a young one is kept. */
class StaleUploadSweepTest {

    @TempDir
    Path dataDir;

    private static int objectCount(StorageLocation store) {
        return store.s3().listObjectsV2(b -> b.bucket(store.bucket())).contents().size();
    }

    @Test
    void orphanPartsAreAbortedOnceOlderThanTheAge() throws Exception {
        try (RunningService service = RunningService.start(dataDir, Map.of())) {
            StorageLocations locations = service.bean("storageLocations", StorageLocations.class);
            StorageLocation store = locations.defaultLocation();
            String uploadId = store.s3().createMultipartUpload(b -> b.bucket(store.bucket()).key("media/orphan.mp4")).uploadId();
            store.s3().uploadPart(b -> b.bucket(store.bucket()).key("media/orphan.mp4").uploadId(uploadId).partNumber(1),
                    RequestBody.fromBytes(new byte[1024]));

            assertThat(locations.abortStaleUploads("24h")).isZero();
            assertThat(objectCount(store)).isPositive(); // the parts, as S3Proxy's filesystem keeps them

            assertThat(locations.abortStaleUploads("0s")).isEqualTo(1);
            assertThat(objectCount(store)).isZero();
        }
    }
}
