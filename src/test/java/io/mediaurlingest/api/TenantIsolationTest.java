package io.mediaurlingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.aliyun.ice20201109.Client;
import com.aliyun.ice20201109.models.DeleteMediaInfosRequest;
import com.aliyun.ice20201109.models.GetMediaInfoRequest;
import com.aliyun.ice20201109.models.GetUrlUploadInfosRequest;
import com.aliyun.ice20201109.models.ListMediaBasicInfosRequest;
import com.aliyun.ice20201109.models.RegisterMediaInfoRequest;
import com.aliyun.ice20201109.models.UpdateMediaInfoRequest;
import com.aliyun.ice20201109.models.UploadMediaByURLRequest;
import com.aliyun.tea.TeaException;
import io.mediaurlingest.store.StorageLocation;
import io.mediaurlingest.store.StorageLocations;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Two AppIds (keys bound to app-a and app-b, through the official SDK) share one store and
 * one library. Whatever app-b names, in whatever spelling, it cannot register, read, sign,
 * delete or even learn of what belongs to app-a.
 */
class TenantIsolationTest {

    @TempDir
    static Path dataDir;
    static LoopbackHttpServer sources;
    static RunningService service;
    static StorageLocation store;
    static Client appA;
    static Client appB;
    /** app-a's job output (media/{id}.mp4) and an object app-a registered by hand. */
    static String jobMediaId;
    static String jobKey;
    static String importedMediaId;
    static final String IMPORTED_KEY = "imports/a/secret.mp4";

    @BeforeAll
    static void start() throws Exception {
        sources = new LoopbackHttpServer().serve("/v/clip.mp4", "video/mp4", Fixtures.media("sample.mp4"));
        Path keysFile = dataDir.resolve("keys.json");
        Files.writeString(keysFile, """
                {"AccessKeys": [
                  {"AccessKeyId": "LTAIappA", "AccessKeySecret": "a-secret", "Actions": ["ice:*"], "AppId": "app-a"},
                  {"AccessKeyId": "LTAIappB", "AccessKeySecret": "b-secret", "Actions": ["ice:*"], "AppId": "app-b"}
                ]}
                """);
        Map<String, String> settings = new HashMap<>(RunningService.loopbackAllowed());
        settings.put("ingest.auth.keys-file", keysFile.toString());
        service = RunningService.start(dataDir.resolve("data"), settings);
        store = service.bean("storageLocations", StorageLocations.class).defaultLocation();
        appA = service.iceClient("LTAIappA", "a-secret");
        appB = service.iceClient("LTAIappB", "b-secret");

        var job = appA.uploadMediaByURL(new UploadMediaByURLRequest()
                .setUploadURLs(RunningService.encode(sources.url("/v/clip.mp4")))).getBody().getUploadJobs().get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCESS".equals(appA.getUrlUploadInfos(
                new GetUrlUploadInfosRequest().setJobIds(job.getJobId())).getBody().getURLUploadInfoList().get(0).getStatus()));
        jobMediaId = job.getMediaId();
        jobKey = "media/" + jobMediaId + ".mp4";
        store.s3().putObject(b -> b.bucket(store.bucket()).key(IMPORTED_KEY), RequestBody.fromBytes(Fixtures.media("sample.mp3")));
        importedMediaId = appA.registerMediaInfo(new RegisterMediaInfoRequest()
                .setInputURL("s3://" + store.bucket() + "/" + IMPORTED_KEY).setReferenceId("shared-ref-1")
                .setClientToken("shared-token-1")).getBody().getMediaId();
    }

    @AfterAll
    static void stop() {
        service.close();
        sources.close();
    }

    /** Every spelling of a key we could think of that a file-system store might read as the same object. */
    static List<String> aliases(String key) {
        String b = store.bucket();
        String http = store.endpoint().toString().replaceAll("/+$", "") + "/" + b + "/";
        int slash = key.indexOf('/');
        String dir = key.substring(0, slash);
        String rest = key.substring(slash + 1);
        List<String> forms = new ArrayList<>();
        for (String prefix : List.of("s3://" + b + "/", "oss://" + b + "/", http)) {
            forms.add(prefix + key); // the canonical form itself: registered already, or the service's own
            forms.add(prefix + dir + "/./" + rest);
            forms.add(prefix + dir + "//" + rest);
            forms.add(prefix + "/" + key);
            forms.add(prefix + "./" + key);
            forms.add(prefix + dir + "/x/../" + rest);
            forms.add(prefix + dir + "/%2E/" + rest);
            forms.add(prefix + dir + "/%2e%2e/" + dir + "/" + rest);
            forms.add(prefix + dir + "%2F" + rest);
            forms.add(prefix + dir + "%2f" + rest);
            forms.add(prefix + dir + "%5C" + rest);
            forms.add(prefix + dir + "/" + rest + "/");
            forms.add(prefix + dir + "/" + rest + "/.");
            forms.add(prefix + dir + "/%252E/" + rest);
            forms.add(prefix + dir + "/" + rest.replace("e", "%65")); // a plain letter percent-encoded
        }
        forms.add(http + key + "?X-Amz-Expires=60"); // a presigned URL pasted back
        forms.add(http.replace("http://", "HTTP://") + key);
        return forms;
    }

    private static String fileSha(String key) {
        return Fixtures.sha256(store.s3().getObjectAsBytes(r -> r.bucket(store.bucket()).key(key)).asByteArray());
    }

    @Test
    void noSpellingOfAnotherAppsObjectCanBeRegistered() throws Exception {
        String jobSha = fileSha(jobKey);
        String importedSha = fileSha(IMPORTED_KEY);
        List<String> accepted = new ArrayList<>();
        for (String key : List.of(jobKey, IMPORTED_KEY)) {
            for (String form : aliases(key)) {
                try {
                    String mediaId = appB.registerMediaInfo(new RegisterMediaInfoRequest().setInputURL(form)
                            .setMediaType("video").setTitle("mine now")).getBody().getMediaId();
                    accepted.add(form + " -> " + mediaId);
                } catch (TeaException refused) {
                    assertThat(refused.getStatusCode()).as(form).isBetween(400, 404);
                    assertThat(refused.getMessage()).as(form).doesNotContain(jobMediaId).doesNotContain(importedMediaId);
                }
            }
        }
        assertThat(accepted).isEmpty();
        assertThat(appB.listMediaBasicInfos(new ListMediaBasicInfosRequest().setMaxResults(100)).getBody().getMediaInfos())
                .allSatisfy(m -> assertThat(m.getMediaBasicInfo().getInputURL()).doesNotContain("imports/a/", jobMediaId));
        assertThat(fileSha(jobKey)).isEqualTo(jobSha);
        assertThat(fileSha(IMPORTED_KEY)).isEqualTo(importedSha);
        assertThat(appA.getMediaInfo(new GetMediaInfoRequest().setMediaId(jobMediaId)).getBody().getMediaInfo()).isNotNull();
        assertThat(appA.getMediaInfo(new GetMediaInfoRequest().setMediaId(importedMediaId)).getBody().getMediaInfo()).isNotNull();
    }

    @Test
    void noSpellingOfAnotherAppsObjectCanBeReadOrDeleted() throws Exception {
        for (String key : List.of(jobKey, IMPORTED_KEY)) {
            for (String form : aliases(key)) {
                TeaException hidden = catchThrowableOfType(TeaException.class,
                        () -> appB.getMediaInfo(new GetMediaInfoRequest().setInputURL(form)));
                assertThat(hidden).as(form).isNotNull();
                assertThat(hidden.getStatusCode()).as(form).isBetween(400, 404);
                try {
                    var deleted = appB.deleteMediaInfos(new DeleteMediaInfosRequest().setInputURLs(form)
                            .setDeletePhysicalFiles(true)).getBody();
                    assertThat(deleted.getIgnoredList()).as(form).containsExactly(form); // as if there were none
                    assertThat(deleted.getForbiddenList()).as(form).isEmpty();
                } catch (TeaException refused) {
                    assertThat(refused.getStatusCode()).as(form).isEqualTo(400); // a key in no canonical form
                }
            }
        }
        var byId = appB.deleteMediaInfos(new DeleteMediaInfosRequest().setMediaIds(jobMediaId + "," + importedMediaId)
                .setDeletePhysicalFiles(true)).getBody();
        assertThat(byId.getIgnoredList()).containsExactly(jobMediaId, importedMediaId);
        assertThat(store.head(jobKey)).isPresent();
        assertThat(store.head(IMPORTED_KEY)).isPresent();
        assertThat(appA.getMediaInfo(new GetMediaInfoRequest().setMediaId(jobMediaId)).getBody().getMediaInfo()).isNotNull();
    }

    /** A cover into the store would be handed out presigned: any store URL is refused as a CoverURL. */
    @Test
    void aCoverUrlCannotPointIntoTheStore() throws Exception {
        String key = "imports/b/own.mp3";
        store.s3().putObject(b -> b.bucket(store.bucket()).key(key), RequestBody.fromBytes(Fixtures.media("sample.mp3")));
        String own = appB.registerMediaInfo(new RegisterMediaInfoRequest()
                .setInputURL("s3://" + store.bucket() + "/" + key)).getBody().getMediaId();
        String endpoint = store.endpoint().toString().replaceAll("/+$", "");
        List<String> covers = new ArrayList<>(List.of(endpoint + "/" + store.bucket() + "/" + IMPORTED_KEY,
                endpoint + "/" + store.bucket() + "/" + jobKey + "?x=1", endpoint + "/other-bucket/anything.jpg",
                endpoint.replace("http://", "HTTP://") + "/" + store.bucket() + "/" + IMPORTED_KEY, endpoint + "/"));
        for (String cover : covers) {
            TeaException atRegister = catchThrowableOfType(TeaException.class, () -> appB.registerMediaInfo(
                    new RegisterMediaInfoRequest().setInputURL("s3://" + store.bucket() + "/" + key).setOverwrite(true)
                            .setCoverURL(cover)));
            assertThat(atRegister).as(cover).isNotNull();
            assertThat(atRegister.getMessage()).as(cover).contains("CoverURL");
            TeaException atUpdate = catchThrowableOfType(TeaException.class,
                    () -> appB.updateMediaInfo(new UpdateMediaInfoRequest().setMediaId(own).setCoverURL(cover)));
            assertThat(atUpdate).as(cover).isNotNull();
            assertThat(atUpdate.getMessage()).as(cover).contains("CoverURL");
            String url = sources.url("/v/clip.mp4");
            TeaException atSubmit = catchThrowableOfType(TeaException.class, () -> appB.uploadMediaByURL(
                    new UploadMediaByURLRequest().setUploadURLs(RunningService.encode(url))
                            .setMediaMetaData("[{\"SourceURL\":\"" + url + "\",\"Title\":\"t\",\"CoverURL\":\"" + cover + "\"}]")));
            assertThat(atSubmit).as(cover).isNotNull();
            assertThat(atSubmit.getMessage()).as(cover).contains("CoverURL");
        }
        appB.updateMediaInfo(new UpdateMediaInfoRequest().setMediaId(own).setCoverURL("https://images.example.com/c.jpg"));
        assertThat(appB.getMediaInfo(new GetMediaInfoRequest().setMediaId(own)).getBody().getMediaInfo()
                .getMediaBasicInfo().getCoverURL()).isEqualTo("https://images.example.com/c.jpg");
    }

    /** ReferenceId and ClientToken are per AppId: another AppId's values neither conflict nor answer. */
    @Test
    void referenceIdsAndClientTokensArePerAppId() throws Exception {
        String key = "imports/b/same-ref.mp3";
        store.s3().putObject(b -> b.bucket(store.bucket()).key(key), RequestBody.fromBytes(Fixtures.media("sample.mp3")));

        String mine = appB.registerMediaInfo(new RegisterMediaInfoRequest().setInputURL("s3://" + store.bucket() + "/" + key)
                .setReferenceId("shared-ref-1").setClientToken("shared-token-1")).getBody().getMediaId();

        assertThat(mine).isNotEqualTo(importedMediaId);
        String again = appB.registerMediaInfo(new RegisterMediaInfoRequest().setInputURL("s3://" + store.bucket() + "/" + key)
                .setClientToken("shared-token-1")).getBody().getMediaId();
        assertThat(again).isEqualTo(mine);
        TeaException taken = catchThrowableOfType(TeaException.class, () -> appA.updateMediaInfo(
                new UpdateMediaInfoRequest().setMediaId(jobMediaId).setReferenceId("shared-ref-1")));
        assertThat(taken.getMessage()).contains("ReferenceId").contains(importedMediaId).doesNotContain(mine);
        appB.updateMediaInfo(new UpdateMediaInfoRequest().setMediaId(mine).setReferenceId("shared-ref-2"));
        appA.updateMediaInfo(new UpdateMediaInfoRequest().setMediaId(jobMediaId).setReferenceId("shared-ref-2"));
    }
}
